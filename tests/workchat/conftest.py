import pytest
from django.core.cache import cache

from tests.fakes.workchat import FakeWorkChat


@pytest.fixture
def workchat(settings):
    """A fake WeCom and DingTalk, with the settings pointing at it and no cached token."""
    with FakeWorkChat() as fake:
        settings.WECOM = fake.wecom_settings()
        settings.DINGTALK = fake.dingtalk_settings()
        cache.clear()
        yield fake
    cache.clear()
