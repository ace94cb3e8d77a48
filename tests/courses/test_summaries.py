"""The figures the database counts per module (`module_summaries_for`, `last_opened_for`)
equal what the per-lesson rules (`ModuleProgress.summarised`, `progress.last_opened`) say,
over varied progress: unpublished lessons and modules, lessons opened but not finished,
modules without lessons, lessons moved out of creation order, other learners' rows."""

import datetime as dt
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from courses.models import CourseIndexPage, LessonPage, LessonProgress, ModulePage
from courses.progress import last_opened, resume_point
from courses.selectors import (
    last_opened_for,
    learner_overview,
    lesson_context_for,
    module_progress_for,
    module_summaries_for,
)
from tests.factories import StaffFactory, build_course

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2025, 3, 1, 8, 0))


def visit(user, lesson, minute, *, done=False):
    """A progress row: last opened `minute` minutes after START, completed or not."""
    at = START + dt.timedelta(minutes=minute)
    LessonProgress.objects.update_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "first_opened_at": at,
            "last_opened_at": at,
            "completed_at": at if done else None,
        },
    )


def assert_same_as_per_lesson_rules(user, *, index=None):
    modules = list(ModulePage.objects.live().order_by("path"))
    if index is not None:
        modules = [m for m in modules if m.get_parent().id == index.id]
    per_lesson = module_progress_for(user, index=index)
    summaries = module_summaries_for(user, index=index)
    assert summaries == [m.summarised() for m in per_lesson]
    assert last_opened_for(user, modules) == last_opened(per_lesson)
    return summaries, per_lesson


@pytest.fixture
def varied_course():
    """Module 1: four lessons, the last moved to the front; module 2: three lessons, the
    second unpublished; module 3: no lessons; module 4: unpublished, with a lesson."""
    index = build_course(modules=4, lessons_per_module=3)
    m1, m2, m3, m4 = ModulePage.objects.child_of(index).order_by("path")
    extra = m1.add_child(instance=LessonPage(title="模块1补充课", slug="extra", body="[]"))
    extra.move(m1.get_first_child(), pos="left")
    for lesson in LessonPage.objects.child_of(m3):
        lesson.delete()
    LessonPage.objects.child_of(m2).order_by("path")[1].unpublish()
    m4.unpublish()
    return index


def lessons_of(module_number):
    module = ModulePage.objects.order_by("path")[module_number - 1]
    return list(LessonPage.objects.child_of(module).order_by("path"))


def test_a_new_learner(varied_course):
    person = StaffFactory()
    summaries, _ = assert_same_as_per_lesson_rules(person.user)
    first = summaries[0]
    assert [s.total for s in summaries] == [4, 2, 0]
    assert first.status == "not_started" and first.next_lesson.title == "模块1补充课"
    assert summaries[2].next_lesson is None and summaries[2].minutes_left == 0


def test_opened_completed_and_hidden_lessons(varied_course):
    person, other = StaffFactory(), StaffFactory()
    m1, m2, m4 = lessons_of(1), lessons_of(2), lessons_of(4)
    visit(person.user, m1[0], 1, done=True)  # the moved lesson, first in tree order
    visit(person.user, m1[2], 2)  # opened, not finished
    visit(person.user, m2[0], 3, done=True)
    visit(person.user, m2[2], 4, done=True)
    visit(person.user, m2[1], 9, done=True)  # unpublished since: counts for nothing
    visit(person.user, m4[0], 8)  # in an unpublished module
    for lesson in m1:
        visit(other.user, lesson, 20, done=True)
    summaries, _ = assert_same_as_per_lesson_rules(person.user)
    first, second, empty = summaries
    assert (first.completed_count, first.total, first.status) == (1, 4, "in_progress")
    assert first.next_lesson.lesson_id == m1[1].id and first.minutes_left == 15
    assert (second.completed_count, second.total, second.status) == (2, 2, "completed")
    assert second.next_lesson is None and empty.status == "not_started"
    opened = last_opened_for(person.user, ModulePage.objects.live().order_by("path"))
    assert opened.lesson.lesson_id == m2[2].id and opened.completed
    assert opened.lesson.url == m2[2].url


def test_summaries_under_one_course_index(varied_course):
    other_course = varied_course.get_parent().add_child(
        instance=CourseIndexPage(title="另一门课", slug="other-course")
    )
    module = other_course.add_child(instance=ModulePage(title="另一模块", slug="other"))
    lesson = module.add_child(instance=LessonPage(title="另一课", slug="other-1", body="[]"))
    person = StaffFactory()
    visit(person.user, lessons_of(1)[0], 1)
    visit(person.user, lesson, 5)
    assert_same_as_per_lesson_rules(person.user, index=CourseIndexPage.objects.first())
    assert_same_as_per_lesson_rules(person.user, index=other_course)
    assert_same_as_per_lesson_rules(person.user)


def test_an_anonymous_visitor_has_done_nothing(varied_course):
    visit(StaffFactory().user, lessons_of(1)[0], 1, done=True)
    summaries = module_summaries_for(AnonymousUser())
    assert [(s.completed_count, s.any_opened) for s in summaries] == [(0, False)] * 3
    assert last_opened_for(AnonymousUser(), ModulePage.objects.live()) is None


@pytest.mark.parametrize("seed", range(6))
def test_random_progress_agrees_with_the_per_lesson_rules(seed):
    rng = random.Random(seed)
    build_course(modules=4, lessons_per_module=5)
    lessons = list(LessonPage.objects.order_by("path"))
    for lesson in rng.sample(lessons, 4):
        lesson.unpublish()
    if rng.random() < 0.5:  # a module left without lessons
        for lesson in LessonPage.objects.child_of(rng.choice(ModulePage.objects.all())):
            lesson.delete()
    people = [StaffFactory() for _ in range(3)]
    for person in people:
        for lesson in LessonPage.objects.all():
            roll = rng.random()
            if roll < 0.6:
                # Few distinct minutes, so some visits tie and the row id decides.
                visit(person.user, lesson, rng.randrange(6), done=roll < 0.4)
    for person in people:
        summaries, per_lesson = assert_same_as_per_lesson_rules(person.user)
        overview = learner_overview(person.user)
        assert overview["modules"] == summaries
        assert overview["resume"] == resume_point(summaries, last_opened(per_lesson))
        assert overview["lessons_completed"] == sum(m.completed_count for m in per_lesson)


def test_lesson_page_neighbours_and_figures_follow_the_module_sequence(varied_course):
    person = StaffFactory()
    m1, m2 = lessons_of(1), lessons_of(2)
    visit(person.user, m1[0], 1, done=True)
    visit(person.user, m1[2], 2)
    visit(person.user, m2[2], 3, done=True)
    for module in module_progress_for(person.user):
        for state in module.lessons:
            context = lesson_context_for(
                person.user, lesson=LessonPage.objects.get(pk=state.lesson_id)
            )
            previous, following = module.neighbours(state.lesson_id)
            assert context["module_progress"] == module.summarised()
            assert context["previous_lesson"] == (previous.link() if previous else None)
            assert context["next_lesson"] == (following.link() if following else None)
            assert context["lesson_completed"] == state.completed
    # The unpublished second lesson of module 2 is skipped between its neighbours ...
    context = lesson_context_for(person.user, lesson=m2[2])
    assert context["previous_lesson"].lesson_id == m2[0].id and context["next_lesson"] is None
    # ... and, previewed itself, is in no sequence.
    hidden = lesson_context_for(person.user, lesson=m2[1])
    assert hidden["previous_lesson"] is None and hidden["next_lesson"] is None
