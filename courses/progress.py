"""Progress rules: how far a learner is through a module, where to pick up, and when a lesson
may be marked complete. Pure Python.

A module is seen two ways. `ModuleProgress` holds every lesson's state: the module and lesson
pages list the lessons. `ModuleSummary` holds only the figures a module card shows, which the
database counts (`courses.selectors.module_summaries_for`), so the learner home costs the
same for 10 lessons or 1,000. `ModuleProgress.summarised` says what each figure means, lesson
by lesson; the tests hold the database's figures to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class ModuleStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class LessonState:
    lesson_id: int
    title: str
    url: str
    estimated_minutes: int
    # Which lessons the learner opened last, as an order rather than a time: 1 for the lesson
    # opened longest ago, higher for more recent ones, 0 for never opened. The order is all
    # the rules need, and it spares reading a timestamp per lesson.
    opened_order: int = 0
    completed: bool = False
    min_reading_seconds: int = 0

    @property
    def opened(self) -> bool:
        return self.opened_order > 0

    def link(self) -> LessonLink:
        return LessonLink(self.lesson_id, self.title, self.url, self.estimated_minutes)


@dataclass(frozen=True)
class LessonLink:
    """A lesson to go to: what a "next" or "continue" link shows."""

    lesson_id: int
    title: str
    url: str
    estimated_minutes: int


def percent_done(completed: int, total: int) -> int:
    # Rounded down, so 100 % only ever means every lesson is done.
    return (100 * completed) // total if total else 0


def module_status(*, total: int, completed: int, opened: bool) -> ModuleStatus:
    """Completed when every lesson is (a module without lessons never is); in progress once
    any of its lessons was opened or completed; otherwise not started."""
    if total and completed == total:
        return ModuleStatus.COMPLETED
    if opened or completed:
        return ModuleStatus.IN_PROGRESS
    return ModuleStatus.NOT_STARTED


def reading_seconds_left(
    *, first_opened_at: dt.datetime | None, min_reading_seconds: int, now: dt.datetime
) -> int | None:
    """The completion rule: a lesson counts as completed only once the learner has opened it
    (a visit the platform recorded, not just a request to mark it done) and, when the lesson
    sets a minimum reading time, that many seconds after they first opened it.

    None: never opened, so it cannot be completed yet; 0: it may be completed now; otherwise
    the whole seconds still to wait (rounded up, so 0 never comes early)."""
    if first_opened_at is None:
        return None
    elapsed = (now - first_opened_at).total_seconds()
    return max(0, math.ceil(min_reading_seconds - elapsed))


@dataclass(frozen=True)
class ModuleProgress:
    module_id: int
    title: str
    url: str
    summary: str
    lessons: tuple[LessonState, ...]

    @property
    def total(self) -> int:
        return len(self.lessons)

    # Cached: a page asks for the count, percent and status of every module several times,
    # and each walks all its lessons.
    @cached_property
    def completed_count(self) -> int:
        return sum(lesson.completed for lesson in self.lessons)

    @property
    def percent(self) -> int:
        return percent_done(self.completed_count, self.total)

    @cached_property
    def status(self) -> ModuleStatus:
        return module_status(
            total=self.total, completed=self.completed_count, opened=self.any_opened
        )

    @cached_property
    def any_opened(self) -> bool:
        return any(lesson.opened for lesson in self.lessons)

    @cached_property
    def next_lesson(self) -> LessonState | None:
        """The first lesson, in course order, not yet completed."""
        return next((lesson for lesson in self.lessons if not lesson.completed), None)

    @property
    def minutes_left(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.lessons if not lesson.completed)

    def neighbours(self, lesson_id: int) -> tuple[LessonState | None, LessonState | None]:
        ids = [lesson.lesson_id for lesson in self.lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        previous = self.lessons[i - 1] if i > 0 else None
        following = self.lessons[i + 1] if i + 1 < len(self.lessons) else None
        return previous, following

    def summarised(self) -> ModuleSummary:
        """The module card's figures, each defined from the lessons' states."""
        following = self.next_lesson
        return ModuleSummary(
            module_id=self.module_id,
            title=self.title,
            url=self.url,
            summary=self.summary,
            total=self.total,
            completed_count=self.completed_count,
            any_opened=self.any_opened,
            minutes_left=self.minutes_left,
            next_lesson=following.link() if following is not None else None,
        )


@dataclass(frozen=True)
class ModuleSummary:
    """What a module card shows, without the lessons: the figures `ModuleProgress.summarised`
    defines. Counts only live lessons; `any_opened`: the learner opened at least one."""

    module_id: int
    title: str
    url: str
    summary: str
    total: int
    completed_count: int
    any_opened: bool
    minutes_left: int
    next_lesson: LessonLink | None  # the first lesson, in course order, not yet completed

    @property
    def percent(self) -> int:
        return percent_done(self.completed_count, self.total)

    @property
    def status(self) -> ModuleStatus:
        return module_status(
            total=self.total, completed=self.completed_count, opened=self.any_opened
        )


@dataclass(frozen=True)
class LastOpened:
    """The lesson the learner opened most recently, and the module it is in."""

    module_id: int
    lesson: LessonLink
    completed: bool


def last_opened(modules: Sequence[ModuleProgress]) -> LastOpened | None:
    """Of the lessons of `modules`, the one opened most recently (None: none opened)."""
    opened = [
        (lesson.opened_order, module.module_id, lesson)
        for module in modules
        for lesson in module.lessons
        if lesson.opened
    ]
    if not opened:
        return None
    _, module_id, lesson = max(opened, key=lambda item: item[0])
    return LastOpened(module_id, lesson.link(), lesson.completed)


@dataclass(frozen=True)
class ResumePoint:
    module: ModuleSummary
    lesson: LessonLink
    started: bool  # False when the learner has not opened anything yet


def resume_point(modules: Sequence[ModuleSummary], opened: LastOpened | None) -> ResumePoint | None:
    """Where "continue where I left off" takes the learner, given the modules in course order
    and the lesson of theirs opened most recently (`last_opened`).

    That lesson, if it is not finished; otherwise the next unfinished lesson of its module
    (the module last worked in); otherwise the first unfinished lesson of the course.
    None when everything is done.
    """
    if opened is not None:
        module = next((m for m in modules if m.module_id == opened.module_id), None)
        if module is not None:
            if not opened.completed:
                return ResumePoint(module=module, lesson=opened.lesson, started=True)
            if module.next_lesson is not None:
                return ResumePoint(module=module, lesson=module.next_lesson, started=True)
    for module in modules:
        if module.next_lesson is not None:
            return ResumePoint(module=module, lesson=module.next_lesson, started=opened is not None)
    return None


class StepKind(StrEnum):
    QUIZ = "quiz"
    MODULE = "module"


@dataclass(frozen=True)
class QuizStep:
    """A quiz placed in the module, as the step after its last lesson sees it."""

    title: str
    url: str
    passed: bool


@dataclass(frozen=True)
class NextStep:
    """Where the "next" link of a module's last lesson leads."""

    kind: StepKind
    title: str
    url: str


def step_after_last_lesson(
    quizzes: Sequence[QuizStep], next_module: tuple[str, str] | None
) -> NextStep | None:
    """After a module's last lesson comes the module's first quiz not passed yet (quizzes in
    the module's order); once all are passed, or when it has none, the next module (title,
    url); after the last module, nothing (the page offers the way back to the module)."""
    for quiz in quizzes:
        if not quiz.passed:
            return NextStep(StepKind.QUIZ, quiz.title, quiz.url)
    if next_module is not None:
        return NextStep(StepKind.MODULE, *next_module)
    return None
