import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable there (the live server itself runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches. The local-memory cache lives as long as the
    test process, so counters kept there (look-ups of certificates per client address and
    minute) would otherwise carry over: after the rate-limit test, any verification from
    127.0.0.1 in the same minute was refused, which made tests depend on order and speed."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


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


@pytest.fixture
def program(db):
    """A certification program whose one requirement is passing a quiz with 80 %."""
    from certification.models import Program, ProgramRequirement
    from tests.factories import build_quiz, ensure_tree_roots

    ensure_tree_roots()
    program = Program.objects.create(name="前台客服上岗认证", code="front-desk", validity_months=12)
    ProgramRequirement.objects.create(
        program=program, kind="quiz", quiz=build_quiz(), min_percent=80
    )
    return program


@pytest.fixture
def workchat(settings):
    """A fake WeCom, DingTalk and Tencent Cloud SMS (tests/fakes/workchat.py), with the
    settings pointing at it; caches are emptied around each test (no token carries over). The
    live server of browser tests runs in this process, so it reads these settings too."""
    from django.core.cache import cache

    from tests.fakes.workchat import FakeWorkChat

    with FakeWorkChat() as fake:
        settings.WECOM = fake.wecom_settings()
        settings.DINGTALK = fake.dingtalk_settings()
        settings.SMS = fake.sms_settings()
        cache.clear()
        yield fake
    cache.clear()


@pytest.fixture
def frozen_rate_window(monkeypatch):
    """Every request of a test in one rate-limit window (minute and hour), counted from
    empty: a test that makes N requests must not straddle a minute boundary, where the
    count starts again and the limit is never reached."""
    import academy.rate_limit
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(academy.rate_limit.time, "time", lambda: 1_800_000_000.0)


@pytest.fixture
def design_approval_workflow(db):
    """The approval workflow of sealed certificate designs, which a data migration creates.
    A test on a transactional database (the browser tests) flushes every table after it,
    migration data included, so a later test asks for the workflow again; the migration's
    own function makes it (doing nothing when it is there)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("certification.migrations.0007_design_approval_workflow")
    migration.create_workflow(apps, None)
