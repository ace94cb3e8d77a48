"""Progress rules: how far a learner is through a module, where to pick up, and when a lesson
may be marked complete. Pure Python."""

from __future__ import annotations

import datetime as dt
import math
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
        # Rounded down, so 100 % only ever means every lesson is done.
        return (100 * self.completed_count) // self.total if self.total else 0

    @cached_property
    def status(self) -> ModuleStatus:
        if self.total and self.completed_count == self.total:
            return ModuleStatus.COMPLETED
        if any(lesson.opened or lesson.completed for lesson in self.lessons):
            return ModuleStatus.IN_PROGRESS
        return ModuleStatus.NOT_STARTED

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


@dataclass(frozen=True)
class ResumePoint:
    module: ModuleProgress
    lesson: LessonState
    started: bool  # False when the learner has not opened anything yet


def resume_point(modules: list[ModuleProgress]) -> ResumePoint | None:
    """Where "continue where I left off" takes the learner.

    The lesson opened most recently, if it is not finished; otherwise the next unfinished
    lesson of the module last worked in; otherwise the first unfinished lesson of the course.
    None when everything is done.
    """
    opened = [
        (lesson.opened_order, module, lesson)
        for module in modules
        for lesson in module.lessons
        if lesson.opened
    ]
    if opened:
        _, module, lesson = max(opened, key=lambda item: item[0])
        if not lesson.completed:
            return ResumePoint(module=module, lesson=lesson, started=True)
        if module.next_lesson is not None:
            return ResumePoint(module=module, lesson=module.next_lesson, started=True)
    for module in modules:
        if module.next_lesson is not None:
            return ResumePoint(module=module, lesson=module.next_lesson, started=bool(opened))
    return None
