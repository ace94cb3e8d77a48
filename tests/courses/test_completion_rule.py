"""A lesson counts as completed only after the learner opened it (and read it for its
minimum reading time): the rule in plain Python, then the attack over HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from certification.models import Certificate, Program, ProgramRequirement
from courses.models import LessonPage, LessonProgress, ModulePage
from courses.progress import reading_seconds_left
from tests.factories import build_course

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "opened_seconds_ago, minimum, left",
    [
        (None, 0, None),
        (None, 60, None),  # never opened: cannot be completed
        (0, 0, 0),
        (3600, 0, 0),  # no minimum: as soon as it is opened
        (0, 60, 60),
        (59.5, 60, 1),
        (60, 60, 0),
        (600, 60, 0),  # rounded up, never early
    ],
)
def test_the_completion_rule(opened_seconds_ago, minimum, left):
    opened = None if opened_seconds_ago is None else NOW - dt.timedelta(seconds=opened_seconds_ago)
    assert (
        reading_seconds_left(first_opened_at=opened, min_reading_seconds=minimum, now=NOW) == left
    )


@pytest.fixture
def lessons_program(db):
    build_course(modules=1, lessons_per_module=3)
    module = ModulePage.objects.get()
    program = Program.objects.create(name="礼仪学习认证", code="lessons", validity_months=12)
    ProgramRequirement.objects.create(program=program, kind="lessons", module=module)
    return list(LessonPage.objects.live().order_by("path"))


@pytest.mark.django_db(transaction=True)
def test_unopened_lessons_cannot_be_completed_or_certified(
    learner_client, learner, lessons_program
):
    for lesson in lessons_program:
        response = learner_client.post(f"/lessons/{lesson.id}/complete/")
        assert response.status_code == 409
        assert "请先打开并阅读本课" in response.content.decode()
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    assert not Certificate.objects.exists()
    assert "已学 0 / 3 课" in learner_client.get("/").content.decode()
    for lesson in lessons_program:  # opened, then completed: the module and the program
        learner_client.get(lesson.url)
        assert learner_client.post(f"/lessons/{lesson.id}/complete/").status_code == 302
    assert Certificate.objects.get().user == learner.user


@pytest.mark.django_db
def test_a_minimum_reading_time_is_enforced_and_shown(learner_client, learner, lessons_program):
    lesson = lessons_program[0]
    LessonPage.objects.filter(pk=lesson.pk).update(min_reading_seconds=90)
    page = learner_client.get(lesson.url).content.decode()
    assert 'data-reading-wait="90"' in page and "disabled" in page and "90 秒" in page
    early = learner_client.post(f"/lessons/{lesson.id}/complete/")
    assert early.status_code == 409 and "秒后" in early.content.decode()
    assert LessonProgress.objects.get().completed_at is None
    LessonProgress.objects.update(first_opened_at=timezone.now() - dt.timedelta(seconds=91))
    page = learner_client.get(lesson.url).content.decode()
    assert "data-reading-wait" not in page and "disabled" not in page
    assert learner_client.post(f"/lessons/{lesson.id}/complete/").status_code == 302
    assert LessonProgress.objects.get().completed_at is not None


@pytest.mark.django_db
def test_a_lesson_refused_to_the_learner_records_no_visit(learner_client, lessons_program):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    lesson = lessons_program[0]
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="仅限讲师"))
    assert learner_client.get(lesson.url).status_code != 200
    assert not LessonProgress.objects.exists()
    restriction.delete()
    assert learner_client.get(lesson.url).status_code == 200
    assert LessonProgress.objects.get().lesson_id == lesson.pk
