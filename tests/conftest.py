import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable there (the live server itself runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def course(db):
    from tests.factories import build_course

    return build_course()


@pytest.fixture
def learner(db):
    from tests.factories import StaffFactory

    return StaffFactory(user__username="xiaolin", name="林小文")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner.user)
    return client
