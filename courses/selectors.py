"""Reads for the course pages and the learner's home. Query count does not grow with content."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from quizzes.selectors import quiz_results_for

from .models import CourseIndexPage, LessonPage, LessonProgress, ModulePage, ModuleQuiz
from .progress import LessonState, ModuleProgress, reading_seconds_left, resume_point


def module_progress_for(
    user,
    *,
    index: CourseIndexPage | None = None,
    modules: Iterable[ModulePage] | None = None,
) -> list[ModuleProgress]:
    """Progress of `user` through live modules (all, those under `index`, or `modules`)."""
    whole_course = modules is None and index is None
    if modules is None:
        module_qs = ModulePage.objects.live().specific(defer=True)
        if index is not None:
            module_qs = module_qs.child_of(index)
        modules = list(module_qs.order_by("path"))
    else:
        modules = list(modules)
    if not modules:
        return []
    in_modules = Q()
    for module in modules:
        in_modules |= Q(path__startswith=module.path, depth=module.depth + 1)
    # Plain rows, not pages: instantiating a Wagtail page per lesson (and asking each for its
    # URL) made the home slower with every lesson added.
    lessons = (
        LessonPage.objects.filter(in_modules)
        .live()
        .order_by("path")
        .values_list("id", "title", "path", "url_path", "estimated_minutes", "min_reading_seconds")
    )
    progress = {}
    if user.is_authenticated:
        # In the order last opened; no timestamps: converting three per lesson was most of
        # the cost of this page for a learner with hundreds of lessons behind them.
        rows = LessonProgress.objects.filter(user=user)
        if not whole_course:
            # A module or lesson page needs only its module's rows, not every lesson the
            # learner ever opened; the order among them is what the rules compare.
            rows = rows.filter(lesson_id__in=lessons.values("id"))
        rows = (
            rows.annotate(done=Q(completed_at__isnull=False))
            .order_by("last_opened_at", "id")
            .values_list("lesson_id", "done")
        )
        progress = {lesson_id: (n, done) for n, (lesson_id, done) in enumerate(rows, start=1)}
    # A lesson's URL is its module's URL plus its own slug: Wagtail routes a page by its
    # url_path under the site root, so asking Wagtail once per module is enough.
    module_urls = {module.path: (module.get_url(), module.url_path) for module in modules}
    by_module: dict[str, list[LessonState]] = {m.path: [] for m in modules}
    never_opened = (0, False)
    for lesson_id, title, path, url_path, minutes, min_reading in lessons:
        parent_path = path[: -LessonPage.steplen]
        module_url, module_url_path = module_urls[parent_path]
        opened_order, completed = progress.get(lesson_id, never_opened)
        by_module[parent_path].append(
            LessonState(
                lesson_id=lesson_id,
                title=title,
                url=(module_url or "") + url_path[len(module_url_path) :],
                estimated_minutes=minutes,
                opened_order=opened_order,
                completed=completed,
                min_reading_seconds=min_reading,
            )
        )
    return [
        ModuleProgress(
            module_id=module.id,
            title=module.title,
            url=module_urls[module.path][0],
            summary=getattr(module, "summary", ""),
            lessons=tuple(by_module[module.path]),
        )
        for module in modules
    ]


@dataclass(frozen=True)
class QuizLink:
    quiz_id: int
    title: str
    result: tuple[float, bool] | None  # best or latest (percent, passed), per the quiz

    @property
    def passed(self) -> bool:
        return bool(self.result and self.result[1])


def quizzes_by_module(user, module_ids: Iterable[int]) -> dict[int, list[QuizLink]]:
    """The quizzes placed in each module with this learner's grade: two queries."""
    placements = list(
        ModuleQuiz.objects.filter(module_id__in=list(module_ids))
        .select_related("quiz")
        .order_by("module_id", "sort_order")
    )
    results = quiz_results_for(user, {p.quiz_id for p in placements})
    by_module: dict[int, list[QuizLink]] = {}
    for placement in placements:
        by_module.setdefault(placement.module_id, []).append(
            QuizLink(placement.quiz_id, placement.quiz.title, results.get(placement.quiz_id))
        )
    return by_module


def module_quizzes_for(user, module: ModulePage) -> list[QuizLink]:
    return quizzes_by_module(user, [module.pk]).get(module.pk, [])


def learner_overview(user) -> dict:
    modules = module_progress_for(user)
    quizzes = quizzes_by_module(user, [m.module_id for m in modules])
    return {
        "modules": modules,
        "module_entries": [(m, quizzes.get(m.module_id, [])) for m in modules],
        # After the lessons of a module, its quiz is the next step.
        "next_quiz": next(
            (
                q
                for m in modules
                if m.status == "completed"
                for q in quizzes.get(m.module_id, [])
                if not q.passed
            ),
            None,
        ),
        "resume": resume_point(modules),
        "lessons_total": sum(m.total for m in modules),
        "lessons_completed": sum(m.completed_count for m in modules),
    }


def lesson_context_for(user, *, lesson: LessonPage) -> dict:
    module = ModulePage.objects.get(path=lesson.path[: -LessonPage.steplen])
    progress = module_progress_for(user, modules=[module])
    module_progress = progress[0] if progress else None
    state = None
    previous = following = None
    if module_progress is not None:
        state = next((le for le in module_progress.lessons if le.lesson_id == lesson.id), None)
        previous, following = module_progress.neighbours(lesson.id)
    seconds_left = None
    if state is not None and state.opened and not state.completed:
        first_opened_at = (
            LessonProgress.objects.filter(user=user, lesson=lesson)
            .values_list("first_opened_at", flat=True)
            .first()
        )
        seconds_left = reading_seconds_left(
            first_opened_at=first_opened_at,
            min_reading_seconds=lesson.min_reading_seconds,
            now=timezone.now(),
        )
    return {
        "module": module,
        "module_progress": module_progress,
        "lesson_state": state,
        # Seconds before "mark as complete" is accepted (None: not opened, e.g. a preview).
        "reading_seconds_left": seconds_left,
        "previous_lesson": previous,
        "next_lesson": following,
    }


def lesson_totals_by_user(users_qs) -> dict[int, dict]:
    """Completed lessons and last activity per user, in one query for any number of users."""
    live_lessons = LessonPage.objects.live().values("id")
    rows = (
        LessonProgress.objects.filter(user__in=users_qs, lesson__in=live_lessons)
        .values("user_id")
        .annotate(
            completed=Count("id", filter=Q(completed_at__isnull=False)),
            last_active=Max("last_opened_at"),
        )
    )
    return {row["user_id"]: row for row in rows}


def live_lesson_count() -> int:
    return LessonPage.objects.live().count()
