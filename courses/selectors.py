"""Reads for the course pages and the learner's home. Query count does not grow with content."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from academy.search_queries import rank_expression, substring_condition
from academy.search_text import terms, words_of
from django.db.models import Count, FilteredRelation, Max, Min, Q, Sum
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone

from quizzes import rules as quiz_rules
from quizzes.selectors import quiz_standings_for

from .emergency import LessonSource, emergency_lessons
from .emergency import updated_at as emergency_updated_at
from .models import CourseIndexPage, LessonPage, LessonProgress, ModulePage, ModuleQuiz
from .progress import (
    LastOpened,
    LessonLink,
    LessonState,
    ModuleProgress,
    ModuleSummary,
    NextStep,
    QuizStep,
    reading_seconds_left,
    resume_point,
    step_after_last_lesson,
)
from .search import LessonCandidate, LessonHit, lesson_hits


def _live_modules(
    index: CourseIndexPage | None, modules: Iterable[ModulePage] | None
) -> list[ModulePage]:
    if modules is not None:
        return list(modules)
    module_qs = ModulePage.objects.live().specific(defer=True)
    if index is not None:
        module_qs = module_qs.child_of(index)
    return list(module_qs.order_by("path"))


def _live_lessons_of(modules: list[ModulePage]):
    if not modules:
        return LessonPage.objects.none()
    in_modules = Q()
    for module in modules:
        in_modules |= Q(path__startswith=module.path, depth=module.depth + 1)
    return LessonPage.objects.filter(in_modules).live()


class _LessonUrls:
    """A lesson's URL is its module's URL plus its own slug: Wagtail routes a page by its
    url_path under the site root, so asking Wagtail once per module is enough (instantiating
    a page per lesson to ask it made the home slower with every lesson added)."""

    def __init__(self, modules: list[ModulePage]):
        self.by_path = {module.path: (module.get_url(), module.url_path) for module in modules}

    def module_url(self, module: ModulePage) -> str:
        return self.by_path[module.path][0]

    def lesson_url(self, lesson_path: str, lesson_url_path: str) -> str:
        module_url, module_url_path = self.by_path[lesson_path[: -LessonPage.steplen]]
        return (module_url or "") + lesson_url_path[len(module_url_path) :]


def module_progress_for(
    user,
    *,
    index: CourseIndexPage | None = None,
    modules: Iterable[ModulePage] | None = None,
) -> list[ModuleProgress]:
    """Progress of `user` through live modules (all, those under `index`, or `modules`),
    lesson by lesson: for pages that list the lessons. A page that shows only each module's
    figures uses `module_summaries_for`, whose cost does not grow with the lessons."""
    whole_course = modules is None and index is None
    modules = _live_modules(index, modules)
    if not modules:
        return []
    # Plain rows, not pages.
    lessons = (
        _live_lessons_of(modules)
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
    urls = _LessonUrls(modules)
    by_module: dict[str, list[LessonState]] = {m.path: [] for m in modules}
    never_opened = (0, False)
    for lesson_id, title, path, url_path, minutes, min_reading in lessons:
        opened_order, completed = progress.get(lesson_id, never_opened)
        by_module[path[: -LessonPage.steplen]].append(
            LessonState(
                lesson_id=lesson_id,
                title=title,
                url=urls.lesson_url(path, url_path),
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
            url=urls.module_url(module),
            summary=getattr(module, "summary", ""),
            lessons=tuple(by_module[module.path]),
        )
        for module in modules
    ]


def module_summaries_for(
    user,
    *,
    index: CourseIndexPage | None = None,
    modules: Iterable[ModulePage] | None = None,
) -> list[ModuleSummary]:
    """Each live module's figures for `user` (all modules, those under `index`, or
    `modules`), counted by the database: the same few queries and the same work in Python
    for 10 lessons or 1,000 (`ModuleProgress.summarised` defines each figure)."""
    modules = _live_modules(index, modules)
    if not modules:
        return []
    return _summaries(modules, _figures(user, modules), _LessonUrls(modules))


def _summaries(
    modules: list[ModulePage], figures: dict[str, dict], urls: _LessonUrls
) -> list[ModuleSummary]:
    links = _lesson_links([row["next_path"] for row in figures.values()], urls)
    return [_summary(module, figures.get(module.path), links, urls) for module in modules]


def _figures(user, modules: list[ModulePage], *, around: str | None = None) -> dict[str, dict]:
    """Per module path: its live lessons, how many this learner opened and completed, the
    minutes left, the path of the first lesson not done, and the learner's latest visit to
    one of them. With `around` (a lesson's path), also the paths of the live lessons just
    before and after it."""
    # At most one progress row per learner and lesson (a unique constraint), so the join
    # repeats no lesson; a lesson without a row of this learner's is neither opened nor done.
    not_done = Q(mine__completed_at__isnull=True)
    figures = {
        "total": Count("pk"),
        "opened": Count("mine"),
        "completed": Count("mine", filter=Q(mine__completed_at__isnull=False)),
        "minutes_left": Sum("estimated_minutes", filter=not_done),
        # Tree order is path order: the first lesson not done is the smallest path.
        "next_path": Min("path", filter=not_done),
        "last_opened_at": Max("mine__last_opened_at"),
    }
    if around is not None:
        figures["previous_path"] = Max("path", filter=Q(path__lt=around))
        figures["following_path"] = Min("path", filter=Q(path__gt=around))
    rows = (
        _live_lessons_of(modules)
        .annotate(
            mine=FilteredRelation("progress", condition=Q(progress__user_id=_user_id(user))),
            module_path=Substr("path", 1, Length("path") - LessonPage.steplen),
        )
        .values("module_path")
        .annotate(**figures)
        .order_by()
    )
    return {row["module_path"]: row for row in rows}


def _lesson_links(paths: Iterable[str | None], urls: _LessonUrls) -> dict[str, LessonLink]:
    paths = [path for path in paths if path]
    if not paths:
        return {}
    return {
        path: LessonLink(lesson_id, title, urls.lesson_url(path, url_path), minutes)
        for lesson_id, title, path, url_path, minutes in LessonPage.objects.filter(
            path__in=paths
        ).values_list("id", "title", "path", "url_path", "estimated_minutes")
    }


def _summary(
    module: ModulePage, row: dict | None, links: dict[str, LessonLink], urls: _LessonUrls
) -> ModuleSummary:
    row = row or {"total": 0, "opened": 0, "completed": 0, "minutes_left": 0, "next_path": None}
    return ModuleSummary(
        module_id=module.id,
        title=module.title,
        url=urls.module_url(module),
        summary=getattr(module, "summary", ""),
        total=row["total"],
        completed_count=row["completed"],
        any_opened=row["opened"] > 0,
        minutes_left=row["minutes_left"] or 0,
        next_lesson=links.get(row["next_path"]),
    )


def last_opened_for(user, modules: Iterable[ModulePage]) -> LastOpened | None:
    """The live lesson of `modules` that `user` opened most recently (`progress.last_opened`
    in SQL)."""
    modules = list(modules)
    if not modules:
        return None
    return _last_opened(user, modules, _figures(user, modules), _LessonUrls(modules))


def _last_opened(
    user, modules: list[ModulePage], figures: dict[str, dict], urls: _LessonUrls
) -> LastOpened | None:
    # The figures give the time of the latest visit; the rows of that time are then found
    # through the (user, last_opened_at) index, whatever the planner knows of the tables
    # (ordering the learner's visits to take the first one read them all on a table not
    # analysed yet). Asked even without a visit (`at` None matches nothing), so the home
    # runs the same queries for every learner.
    at = max(
        (row["last_opened_at"] for row in figures.values() if row["last_opened_at"]), default=None
    )
    row = (
        LessonProgress.objects.filter(
            user_id=_user_id(user),
            last_opened_at=at,
            lesson_id__in=_live_lessons_of(modules).values("pk"),
        )
        .order_by("-id")  # visits at the same instant: the later row
        .values_list(
            "lesson_id",
            "lesson__title",
            "lesson__path",
            "lesson__url_path",
            "lesson__estimated_minutes",
            "completed_at",
        )
        .first()
    )
    if row is None:
        return None
    lesson_id, title, path, url_path, minutes, completed_at = row
    module_id = next(m.id for m in modules if m.path == path[: -LessonPage.steplen])
    url = urls.lesson_url(path, url_path)
    return LastOpened(
        module_id, LessonLink(lesson_id, title, url, minutes), completed_at is not None
    )


def _user_id(user) -> int | None:
    # An anonymous visitor matches no progress row (`user_id = NULL` is never true).
    return user.pk if user.is_authenticated else None


@dataclass(frozen=True)
class QuizLink:
    quiz_id: int
    title: str
    result: tuple[float, bool] | None  # best or latest (percent, passed), per the quiz
    state: str = quiz_rules.NOT_TAKEN  # quizzes.rules.learner_state

    @property
    def passed(self) -> bool:
        return self.state == quiz_rules.PASSED

    @property
    def awaiting_grading(self) -> bool:
        return self.state == quiz_rules.AWAITING_GRADING


def quizzes_by_module(user, module_ids: Iterable[int]) -> dict[int, list[QuizLink]]:
    """The quizzes placed in each module with this learner's grade: two queries."""
    placements = list(
        ModuleQuiz.objects.filter(module_id__in=list(module_ids))
        .select_related("quiz")
        .order_by("module_id", "sort_order")
    )
    standings = quiz_standings_for(user, {p.quiz_id for p in placements})
    by_module: dict[int, list[QuizLink]] = {}
    for placement in placements:
        standing = standings.get(placement.quiz_id)
        by_module.setdefault(placement.module_id, []).append(
            QuizLink(
                placement.quiz_id,
                placement.quiz.title,
                standing.result if standing else None,
                standing.state if standing else quiz_rules.NOT_TAKEN,
            )
        )
    return by_module


def module_quizzes_for(user, module: ModulePage) -> list[QuizLink]:
    return quizzes_by_module(user, [module.pk]).get(module.pk, [])


def learner_overview(user) -> dict:
    """The learner home: each module's figures and quizzes, and where to continue."""
    pages = _live_modules(None, None)
    urls = _LessonUrls(pages)
    figures = _figures(user, pages) if pages else {}
    modules = _summaries(pages, figures, urls)
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
                if not q.passed and not q.awaiting_grading
            ),
            None,
        ),
        "resume": resume_point(modules, _last_opened(user, pages, figures, urls)),
        "lessons_total": sum(m.total for m in modules),
        "lessons_completed": sum(m.completed_count for m in modules),
    }


def lesson_context_for(user, *, lesson: LessonPage) -> dict:
    """The lesson page: its module's figures, the live lessons before and after it, and
    whether the learner may mark it complete yet. Four queries, whatever the module's size:
    the neighbours are found by path in the same count as the figures."""
    module = ModulePage.objects.get(path=lesson.path[: -LessonPage.steplen])
    urls = _LessonUrls([module])
    # A lesson not live or not saved yet (a preview) is not in the module's sequence: no
    # neighbours, no progress.
    in_sequence = lesson.live and lesson.pk is not None
    row = _figures(user, [module], around=lesson.path if in_sequence else None).get(module.path)
    around = row or {}
    links = _lesson_links(
        [around.get("next_path"), around.get("previous_path"), around.get("following_path")],
        urls,
    )
    opened_at = completed_at = None
    if in_sequence:
        opened_at, completed_at = (
            LessonProgress.objects.filter(user_id=_user_id(user), lesson=lesson)
            .values_list("first_opened_at", "completed_at")
            .first()
        ) or (None, None)
    seconds_left = None
    if opened_at is not None and completed_at is None:
        seconds_left = reading_seconds_left(
            first_opened_at=opened_at,
            min_reading_seconds=lesson.min_reading_seconds,
            now=timezone.now(),
        )
    next_lesson = links.get(around.get("following_path"))
    return {
        "module": module,
        "module_progress": _summary(module, row, links, urls),
        "lesson_completed": completed_at is not None,
        # Seconds before "mark as complete" is accepted (None: not opened, e.g. a preview).
        "reading_seconds_left": seconds_left,
        "previous_lesson": links.get(around.get("previous_path")),
        "next_lesson": next_lesson,
        # The last lesson leads on to the module's quiz, or the next module.
        "next_step": _step_after(user, module) if in_sequence and not next_lesson else None,
    }


def _step_after(user, module: ModulePage) -> NextStep | None:
    """`progress.step_after_last_lesson` for `module`: three more queries, on the module's
    last lesson only."""
    quizzes = [
        QuizStep(quiz.title, reverse("quiz_detail", args=[quiz.quiz_id]), quiz.passed)
        for quiz in module_quizzes_for(user, module)
    ]
    following = (
        ModulePage.objects.live()
        .sibling_of(module)
        .filter(path__gt=module.path)
        .order_by("path")
        .first()
    )
    return step_after_last_lesson(
        quizzes, (following.title, following.get_url()) if following else None
    )


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


LESSON_HITS_SHOWN = 30
# Lessons read from the database per search at most, titles matching first: the ranking
# and the excerpts are made in Python (`courses.search`) from these.
LESSON_CANDIDATES = 200


def lessons_found(query: str | None) -> list[LessonHit]:
    """The live lessons of live modules holding every term of `query` — or every word of
    it (`academy.search_text.words_of`) — in their title or text (summary and blocks), best
    first, each with its passage and hits marked."""
    found = terms(query)
    if not found:
        return []
    words = words_of(found)
    fields = ["title", "search_text"]
    modules = _live_modules(None, None)
    rows = (
        _live_lessons_of(modules)
        .filter(substring_condition(found, fields) | substring_condition(words, fields))
        .order_by(rank_expression(query or "", words, "title"), "path")
        .values("title", "summary", "search_text", "path", "url_path")[:LESSON_CANDIDATES]
    )
    urls = _LessonUrls(modules)
    module_titles = {module.path: module.title for module in modules}
    candidates = [
        LessonCandidate(
            title=row["title"],
            summary=row["summary"],
            search_text=row["search_text"],
            url=urls.lesson_url(row["path"], row["url_path"]),
            module_title=module_titles[row["path"][: -LessonPage.steplen]],
        )
        for row in rows
    ]
    return lesson_hits(candidates, words, limit=LESSON_HITS_SHOWN)


def _emergency_modules() -> list[ModulePage]:
    return list(ModulePage.objects.live().filter(emergency_cards=True).order_by("path"))


def emergency_cards() -> dict:
    """The `/emergency/` page: the cards of the live lessons of the live modules marked as
    emergency modules (`courses.emergency`), and when they were last published. Two queries
    whatever the number of lessons (and the site's root paths, cached)."""
    modules = _emergency_modules()
    rows = (
        _live_lessons_of(modules)
        .order_by("path")
        .values_list("id", "title", "path", "url_path", "body", "last_published_at")
    )
    urls = _LessonUrls(modules)
    lessons = emergency_lessons(
        LessonSource(lesson_id, title, urls.lesson_url(path, url_path), body.raw_data, published)
        for lesson_id, title, path, url_path, body, published in rows
    )
    return {"lessons": lessons, "updated_at": emergency_updated_at(lessons)}


def emergency_content_stamp() -> str:
    """Changes whenever what `/emergency/` shows may have: a lesson published, added,
    withdrawn or moved, a module marked or unmarked. Two small queries (no lesson bodies):
    the service worker is versioned by it."""
    modules = _emergency_modules()
    rows = _live_lessons_of(modules).order_by("path").values_list("id", "last_published_at")
    return "|".join(
        f"{lesson_id}@{published.isoformat() if published else ''}" for lesson_id, published in rows
    )
