"""Reads of the quiz engine: what a learner may see of a quiz, an attempt, a review; the
statistics trainers read. Nothing here writes."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from academy.search_queries import search_by_substring
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import NullIf
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import drawing, grading, item_analysis, rules
from . import spec as kinds
from .models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionVersion,
    Quiz,
    QuizSlot,
)
from .textformat import html_to_plain


@dataclass
class QuizStatus:
    quiz: Quiz
    attempts: list[Attempt]
    open_attempt: Attempt | None
    refusal: rules.Refusal | None
    best: tuple[float, bool] | None  # the quiz grade (percent, passed) by its grading method
    awaiting_grading: bool

    @property
    def attempts_left(self) -> int | None:
        if not self.quiz.max_attempts:
            return None
        return max(0, self.quiz.max_attempts - len(self.attempts))


def quiz_status_for(user, quiz: Quiz, *, now: datetime | None = None) -> QuizStatus:
    now = now or timezone.now()
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))
    open_attempt = next((a for a in attempts if a.is_open), None)
    last = attempts[-1] if attempts else None
    awaiting_grading = any(a.state == AttemptState.AWAITING_GRADING for a in attempts)
    refusal = None
    if open_attempt is None:
        refusal = rules.start_refusal(
            rules.quiz_rules(quiz),
            attempts_used=len(attempts),
            last_submitted_at=last.submitted_at if last else None,
            now=now,
            awaiting_grading=awaiting_grading,
        )
    finished = [(a.percent, bool(a.passed)) for a in attempts if a.state == AttemptState.FINISHED]
    return QuizStatus(
        quiz=quiz,
        attempts=attempts,
        open_attempt=open_attempt,
        refusal=refusal,
        best=grading.best_result(finished, quiz.grading_method),
        awaiting_grading=awaiting_grading,
    )


def _submitted_since(attempts, since: date | None):
    """Attempts submitted on or after the local day `since` (None: all)."""
    if since is None:
        return attempts
    start = timezone.make_aware(datetime.combine(since, time.min))
    return attempts.filter(submitted_at__gte=start)


def quiz_results_for(user, quiz_ids, *, since: date | None = None) -> dict[int, tuple[float, bool]]:
    """The quiz grade per quiz for one learner (for module pages and certification), from
    the attempts submitted on or after `since` if given (a renewal counts fresh ones)."""
    by_quiz: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    methods = dict(Quiz.objects.filter(pk__in=quiz_ids).values_list("pk", "grading_method"))
    attempts = Attempt.objects.filter(user=user, quiz_id__in=quiz_ids, state=AttemptState.FINISHED)
    for quiz_id, percent, passed in (
        _submitted_since(attempts, since)
        .order_by("number")
        .values_list("quiz_id", "percent", "passed")
    ):
        by_quiz[quiz_id].append((percent, bool(passed)))
    return {
        quiz_id: grading.best_result(results, methods[quiz_id])
        for quiz_id, results in by_quiz.items()
    }


@dataclass(frozen=True)
class QuizStanding:
    """One learner in one quiz: the grade (percent, passed) and `rules.learner_state`."""

    result: tuple[float, bool] | None
    awaiting_grading: bool

    @property
    def state(self) -> str:
        return rules.learner_state(self.result, awaiting_grading=self.awaiting_grading)


def quiz_standings_for(user, quiz_ids) -> dict[int, QuizStanding]:
    """Per quiz of `quiz_ids` the learner has submitted, their grade and whether an attempt
    waits for grading: the same two queries as `quiz_results_for`."""
    quiz_ids = list(quiz_ids)
    methods = dict(Quiz.objects.filter(pk__in=quiz_ids).values_list("pk", "grading_method"))
    finished: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    awaiting: set[int] = set()
    for quiz_id, state, percent, passed in (
        Attempt.objects.filter(
            user=user,
            quiz_id__in=quiz_ids,
            state__in=(AttemptState.FINISHED, AttemptState.AWAITING_GRADING),
        )
        .order_by("number")
        .values_list("quiz_id", "state", "percent", "passed")
    ):
        if state == AttemptState.AWAITING_GRADING:
            awaiting.add(quiz_id)
        else:
            finished[quiz_id].append((percent, bool(passed)))
    return {
        quiz_id: QuizStanding(
            grading.best_result(finished.get(quiz_id, []), methods[quiz_id]),
            quiz_id in awaiting,
        )
        for quiz_id in set(finished) | awaiting
    }


def quizzes_awaiting_grading(user, quiz_ids, *, since: date | None = None) -> set[int]:
    """The quizzes of `quiz_ids` where one of the learner's submitted attempts (on or after
    `since`, if given) waits for a trainer's grade."""
    attempts = Attempt.objects.filter(
        user=user, quiz_id__in=quiz_ids, state=AttemptState.AWAITING_GRADING
    )
    return set(_submitted_since(attempts, since).values_list("quiz_id", flat=True))


def own_attempt(user, attempt_id: int) -> Attempt | None:
    return (
        Attempt.objects.select_related("quiz")
        .prefetch_related(
            Prefetch("questions", queryset=AttemptQuestion.objects.select_related("version"))
        )
        .filter(pk=attempt_id, user=user)
        .first()
    )


# --- what the learner sees while answering: never the key -----------------------------------


def presented_question(question: AttemptQuestion) -> dict:
    """A question as shown during an attempt. Only what the learner needs to answer it:
    no fractions, no feedback, no explanation, no right order."""
    spec = question.version.spec
    kind = spec["kind"]
    shown = {
        "position": question.position,
        "kind": kind,
        "text": spec["text"],
        "mark": question.mark,
        "response": question.response,
        "max_length": grading.answer_max_length(kind),
        "flagged": question.flagged,
    }
    order = question.option_order
    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        by_id = {c["id"]: c["text"] for c in spec["choices"]}
        chosen = question.response if isinstance(question.response, list) else [question.response]
        shown["options"] = [
            {"id": i, "text": by_id[i], "checked": i in chosen} for i in order if i in by_id
        ]
    elif kind == kinds.TRUE_FALSE:
        shown["options"] = [
            {"id": "true", "text": "对", "checked": question.response is True},
            {"id": "false", "text": "错", "checked": question.response is False},
        ]
    elif kind == kinds.ORDERING:
        # Each step with a choice of place, so that the order can be given without
        # JavaScript; no place is chosen until the learner gives one (untouched is
        # unanswered, not graded in the order shown).
        by_id = {i["id"]: i["text"] for i in spec["items"]}
        current = question.response or order
        shown["items"] = [
            {"id": i, "text": by_id[i], "place": n if question.response else None}
            for n, i in enumerate((i for i in current if i in by_id), start=1)
        ]
        shown["places"] = list(range(1, len(shown["items"]) + 1))
    elif kind == kinds.MATCHING:
        answers = {o["id"]: o["text"] for o in grading.matching_answer_options(spec)}
        chosen = question.response or {}
        shown["prompts"] = [
            {"id": p["id"], "text": p["prompt"], "chosen": chosen.get(p["id"], "")}
            for p in grading.matching_prompts(spec)
        ]
        shown["answers"] = [{"id": i, "text": answers[i]} for i in order if i in answers]
    elif kind == kinds.ESSAY:
        shown["reply_template"] = spec.get("reply_template", "")
    return shown


# The same steps in the same order each time a preview redraws (nothing secret rides on it).
_PREVIEW_SEED = 0


def question_preview(question: Question) -> dict:
    """A question of the bank (saved or still in its editor) as `presented_question` shows it
    to a learner: question 1 of a quiz, not yet answered, options in the order written
    (ordering steps shuffled, as always)."""
    spec = kinds.assign_ids(question.to_spec())
    rng = random.Random(_PREVIEW_SEED)  # noqa: S311
    shown = AttemptQuestion(
        position=1,
        version=QuestionVersion(question=question, number=0, spec=spec),
        mark=float(question.default_mark or 0),
        option_order=drawing.option_order(spec, shuffle=False, rng=rng),
        response=None,
        flagged=False,
    )
    return presented_question(shown)


@dataclass(frozen=True)
class NavigatorEntry:
    """One question in the attempt's navigator: its number, page and state."""

    position: int
    page: int
    answered: bool
    flagged: bool
    current: bool = False  # on the page being shown

    @property
    def state(self) -> str:
        return "answered" if self.answered else "unanswered"


@dataclass
class AttemptPage:
    page: int
    pages: int
    questions: list[dict]  # presented_question of each question on the page
    navigator: list[NavigatorEntry]

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _navigator(attempt: Attempt, current_page: int | None = None) -> list[NavigatorEntry]:
    """Every question the learner answers (descriptions ask nothing), with its page."""
    per_page = attempt.quiz.questions_per_page
    entries = []
    for index, question in enumerate(attempt.questions.all()):
        spec = question.version.spec
        if spec["kind"] in kinds.UNSCORED:
            continue
        page = rules.page_of(index, per_page)
        entries.append(
            NavigatorEntry(
                position=question.position,
                page=page,
                answered=grading.is_answered(spec, question.response),
                flagged=question.flagged,
                current=page == current_page,
            )
        )
    return entries


def attempt_page(attempt: Attempt, page: int) -> AttemptPage:
    """One page of an open attempt (the quiz's questions per page; a page number out of
    range finds the nearest page) and the navigator over all its questions."""
    questions = list(attempt.questions.all())
    per_page = attempt.quiz.questions_per_page
    pages = rules.page_count(len(questions), per_page)
    page = rules.clamp_page(page, pages)
    return AttemptPage(
        page=page,
        pages=pages,
        questions=[
            presented_question(questions[i])
            for i in rules.page_indexes(len(questions), per_page, page)
        ],
        # "You are here" only means something when there is more than one page.
        navigator=_navigator(attempt, page if pages > 1 else None),
    )


def page_of_position(attempt: Attempt, position: int) -> int:
    """The page a question of the attempt is on (page 1 if it has no such question)."""
    for index, question in enumerate(attempt.questions.all()):
        if question.position == position:
            return rules.page_of(index, attempt.quiz.questions_per_page)
    return 1


@dataclass
class SubmitCheck:
    """What the submit confirmation tells the learner before the attempt is final."""

    navigator: list[NavigatorEntry]

    @property
    def unanswered(self) -> list[NavigatorEntry]:
        return [e for e in self.navigator if not e.answered]

    @property
    def flagged(self) -> list[NavigatorEntry]:
        return [e for e in self.navigator if e.flagged]

    @property
    def answered_count(self) -> int:
        return len(self.navigator) - len(self.unanswered)


def submit_check(attempt: Attempt) -> SubmitCheck:
    return SubmitCheck(navigator=_navigator(attempt))


# --- review after submitting ---------------------------------------------------------------


@dataclass
class ReviewedQuestion:
    position: int
    kind: str
    text: str
    mark: float
    points: float | None
    state: str
    response_text: str = ""
    options: list[dict] = field(default_factory=list)
    right_answer: str = ""
    feedback: list[str] = field(default_factory=list)
    explanation: str = ""
    grader_comment: str = ""
    # A graded written reply: [{criterion, points (the most), awarded}] and their sums.
    rubric: list[dict] = field(default_factory=list)
    rubric_awarded: int | None = None
    rubric_points: int | None = None


def review_level(
    attempt: Attempt, *, awaiting_grading: bool = False, now: datetime | None = None
) -> str:
    """`rules.review_level` for this attempt; `awaiting_grading`: a written reply of the
    learner's at this quiz still waits for a trainer (`QuizStatus.awaiting_grading`)."""
    quiz = attempt.quiz
    return rules.review_level(
        quiz.review_detail,
        quiz.review_when,
        quiz.closes_at,
        now or timezone.now(),
        awaiting_grading=awaiting_grading,
    )


def reviewed_questions(attempt: Attempt, level: str) -> list[ReviewedQuestion]:
    """The attempt's questions with as much as the review level allows."""
    if level == rules.SCORE:
        return []
    reviewed = []
    for question in attempt.questions.all():
        spec = question.version.spec
        if spec["kind"] in kinds.UNSCORED:
            continue
        item = ReviewedQuestion(
            position=question.position,
            kind=spec["kind"],
            text=spec["text"],
            mark=question.mark,
            points=(
                None if question.fraction is None else round(question.mark * question.fraction, 2)
            ),
            state=question.state,
        )
        # What the trainer wrote is addressed to the learner, not part of the key.
        item.grader_comment = question.grader_comment
        if level == rules.FULL:
            _add_full_review(item, spec, question)
        reviewed.append(item)
    return reviewed


def _add_full_review(item: ReviewedQuestion, spec: dict, question: AttemptQuestion) -> None:
    kind = spec["kind"]
    response = question.response
    try:
        item.feedback = grading.grade(spec, response).feedback
    except grading.InvalidResponse:
        item.feedback = []
    item.explanation = spec.get("general_feedback", "")
    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        chosen = response if isinstance(response, list) else [response]
        by_id = {c["id"]: c for c in spec["choices"]}
        item.options = [
            {
                "text": by_id[i]["text"],
                "chosen": i in chosen,
                "right": by_id[i]["fraction"] > 0,
                "feedback": by_id[i].get("feedback", "") if i in chosen else "",
            }
            for i in question.option_order
            if i in by_id
        ]
    elif kind == kinds.TRUE_FALSE:
        item.response_text = {True: "对", False: "错"}.get(response, "")
        item.right_answer = "对" if spec["answer"] else "错"
    elif kind == kinds.ORDERING:
        by_id = {i["id"]: i["text"] for i in spec["items"]}
        item.options = [
            {"text": by_id[i], "chosen": True, "right": i == spec["items"][n]["id"], "feedback": ""}
            for n, i in enumerate(response or [])
        ]
        item.right_answer = " → ".join(html_to_plain(i["text"]) for i in spec["items"])
    elif kind == kinds.MATCHING:
        # Answers are plain text: escaped here because the review renders option text as HTML.
        answer_text = {o["id"]: o["text"] for o in grading.matching_answer_options(spec)}
        chosen = response or {}
        item.options = []
        for p in grading.matching_prompts(spec):
            picked = answer_text.get(chosen.get(p["id"]))
            right = picked == p["answer"]
            item.options.append(
                {
                    "text": f"{p['prompt']} → {escape(picked or '—')}",
                    "chosen": True,
                    "right": right,
                    "feedback": "" if right else escape(_("Right answer: %s") % p["answer"]),
                }
            )
    elif kind in (kinds.SHORT_ANSWER, kinds.NUMERIC):
        item.response_text = response or ""
        best = max(spec["answers"], key=lambda a: a["fraction"])
        if kind == kinds.NUMERIC and best.get("tolerance"):
            item.right_answer = f"{best['value']:g} ± {best['tolerance']:g}"
        elif kind == kinds.NUMERIC:
            item.right_answer = f"{best['value']:g}"
        else:
            item.right_answer = best["text"]
    elif kind == kinds.ESSAY:
        item.response_text = response or ""
        rubric = spec.get("rubric") or []
        awarded = question.rubric_points
        if rubric and isinstance(awarded, list) and len(awarded) == len(rubric):
            item.rubric = [
                {"criterion": c["criterion"], "points": c["points"], "awarded": a}
                for c, a in zip(rubric, awarded, strict=True)
            ]
            item.rubric_awarded = sum(awarded)
            item.rubric_points = sum(c["points"] for c in rubric)
        else:
            item.right_answer = "；".join(f"{c['criterion']}（{c['points']}分）" for c in rubric)


def wrong_positions(attempt: Attempt) -> list[int]:
    return [
        q.position
        for q in attempt.questions.all()
        if q.state in (grading.WRONG, grading.PARTIAL, grading.UNANSWERED)
    ]


# --- trainers: grading queue and statistics ------------------------------------------------


GRADING_ORDER = ("attempt__submitted_at", "attempt_id", "position")


def _waiting_replies():
    return AttemptQuestion.objects.filter(
        attempt__state=AttemptState.AWAITING_GRADING,
        fraction__isnull=True,
        version__spec__kind=kinds.ESSAY,
    )


def grading_queue():
    """Written replies in submitted attempts that still wait for a trainer, oldest first
    (by submission; within an attempt, by position)."""
    return (
        _waiting_replies()
        .select_related("attempt__quiz", "attempt__user__staff_profile", "version__question")
        .order_by(*GRADING_ORDER)
    )


@dataclass(frozen=True)
class QueueHead:
    waiting: int  # replies waiting in all
    oldest: list[AttemptQuestion]  # the first of them, oldest first


def grading_queue_head(limit: int = 5) -> QueueHead:
    """How many replies wait, and the oldest `limit` (two queries)."""
    return QueueHead(_waiting_replies().count(), list(grading_queue()[:limit]))


def next_to_grade(after: AttemptQuestion) -> AttemptQuestion | None:
    """The reply to grade after `after` in the queue's order (oldest first); past the end,
    the queue starts again from its oldest reply, so replies skipped are offered again.
    Never `after` itself. One query."""
    submitted_at = after.attempt.submitted_at
    later = (
        Q(attempt__submitted_at__gt=submitted_at)
        | Q(attempt__submitted_at=submitted_at, attempt_id__gt=after.attempt_id)
        | Q(
            attempt__submitted_at=submitted_at,
            attempt_id=after.attempt_id,
            position__gt=after.position,
        )
    )
    return (
        grading_queue()
        .exclude(pk=after.pk)
        .annotate(is_later=Case(When(later, then=Value(1)), default=Value(0)))
        .order_by("-is_later", *GRADING_ORDER)
        .first()
    )


@dataclass(frozen=True)
class ReplyLength:
    """A written reply's length in characters (as the learner's counter shows it: spaces
    and line breaks aside) against the length the question asks for, if it asks."""

    count: int
    minimum: int | None
    maximum: int | None

    @property
    def state(self) -> str:
        """ "short", "long", "ok", or "" when the question asks for no length."""
        if self.minimum is None and self.maximum is None:
            return ""
        if self.minimum is not None and self.count < self.minimum:
            return "short"
        if self.maximum is not None and self.count > self.maximum:
            return "long"
        return "ok"


@dataclass(frozen=True)
class ReplyToGrade:
    """What the grading page shows beside the reply: the question version's model answer
    (its explanation) and rubric, the reply's length against the length asked for, the
    next reply in the queue and how many wait."""

    model_answer: str  # HTML
    rubric: list[dict]
    rubric_points: int
    length: ReplyLength
    next_reply: AttemptQuestion | None
    waiting: int
    graded: bool


def reply_to_grade(answer: AttemptQuestion) -> ReplyToGrade:
    spec = answer.version.spec
    rubric = list(spec.get("rubric") or [])
    return ReplyToGrade(
        model_answer=spec.get("general_feedback") or "",
        rubric=rubric,
        rubric_points=sum(c["points"] for c in rubric),
        length=reply_length(spec, answer.response),
        next_reply=next_to_grade(answer),
        waiting=_waiting_replies().count(),
        graded=answer.fraction is not None,
    )


def reply_length(spec: dict, response) -> ReplyLength:
    wanted = kinds.reply_length(spec)
    return ReplyLength(grading.reply_characters(response), wanted[0], wanted[1])


@dataclass
class QuestionStatistics:
    version_id: int
    question_id: int
    name: str
    version: int
    kind: str
    shown: int = 0
    answered: int = 0
    fully_right: int = 0
    fraction_sum: float = 0.0
    options: list[dict] = field(default_factory=list)
    analysis: item_analysis.ItemAnalysis | None = None
    # Short answers and numbers: the distinct wrong answers typed, [(answer, count)], most
    # common first (`item_analysis.typed_wrong_answers`); `wrong_answers_more` left out.
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)
    wrong_answers_more: int = 0
    typed: list = field(default_factory=list, repr=False)

    @property
    def facility(self) -> float | None:
        """Share of graded answers that were fully right."""
        return self.fully_right / self.shown if self.shown else None

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else 100 * self.facility

    @property
    def mean_percent(self) -> float | None:
        return 100 * self.fraction_sum / self.shown if self.shown else None


@dataclass
class QuizStatistics:
    attempts: int
    learners: int
    passed_attempts: int
    learners_passed: int
    awaiting_grading: int
    questions: list[QuestionStatistics]

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed_attempts / self.attempts if self.attempts else None


def quiz_statistics(quiz: Quiz) -> QuizStatistics:
    """Per quiz and per question version actually shown (also when drawn at random)."""
    finished = Attempt.objects.filter(quiz=quiz, state=AttemptState.FINISHED)
    totals = finished.aggregate(
        n_attempts=Count("pk"),
        n_learners=Count("user", distinct=True),
        n_passed=Count("pk", filter=Q(passed=True)),
        n_learners_passed=Count("user", filter=Q(passed=True), distinct=True),
    )
    waiting = Attempt.objects.filter(quiz=quiz, state=AttemptState.AWAITING_GRADING).count()
    per_version: dict[int, QuestionStatistics] = {}
    choices: dict[int, Counter] = defaultdict(Counter)
    specs: dict[int, dict] = {}
    rows = (
        AttemptQuestion.objects.filter(attempt__in=finished)
        .select_related("version__question")
        .only(
            "response",
            "fraction",
            "version__spec",
            "version__number",
            "version__question__name",
            "version__question_id",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        spec = row.version.spec
        if spec["kind"] in kinds.UNSCORED:
            continue
        stats = per_version.get(row.version_id)
        if stats is None:
            specs[row.version_id] = spec
            stats = per_version[row.version_id] = QuestionStatistics(
                version_id=row.version_id,
                question_id=row.version.question_id,
                name=row.version.question.name,
                version=row.version.number,
                kind=spec["kind"],
            )
        stats.shown += 1
        if row.response not in (None, "", [], {}):
            stats.answered += 1
        fraction = row.fraction or 0.0
        stats.fraction_sum += fraction
        if fraction >= 1 - 1e-6:
            stats.fully_right += 1
        if spec["kind"] in kinds.CHOICE_KINDS:
            picked = row.response if isinstance(row.response, list) else [row.response]
            for value in picked:
                if value is not None:
                    choices[row.version_id][value] += 1
        elif spec["kind"] in item_analysis.TYPED_KINDS:
            stats.typed.append((row.response, row.fraction))
    analyses = item_analyses(AttemptQuestion.objects.filter(attempt__quiz=quiz))
    for stats in per_version.values():
        stats.options = _option_counts(stats, specs[stats.version_id], choices[stats.version_id])
        stats.analysis = analyses.get(stats.version_id)
        if stats.typed:
            wrong = item_analysis.typed_wrong_answers(specs[stats.version_id], stats.typed)
            stats.wrong_answers = wrong[:WRONG_ANSWERS_SHOWN]
            stats.wrong_answers_more = max(0, len(wrong) - WRONG_ANSWERS_SHOWN)
            stats.typed = []
    ordered = sorted(per_version.values(), key=lambda s: (s.name, s.version))
    return QuizStatistics(
        attempts=totals["n_attempts"],
        learners=totals["n_learners"],
        passed_attempts=totals["n_passed"],
        learners_passed=totals["n_learners_passed"],
        awaiting_grading=waiting,
        questions=ordered,
    )


WRONG_ANSWERS_SHOWN = 10


def item_analyses(answers) -> dict[int, item_analysis.ItemAnalysis]:
    """`item_analysis.analyse` per question version of `answers` (AttemptQuestions), over
    the finished attempts: one aggregate query; the rest score of each answer is its
    attempt's stored points and maximum without this question (`item_analysis.rest_score`
    in SQL)."""
    x = F("fraction")
    rest_max = NullIf(F("attempt__max_points") - F("mark"), 0.0)
    y = (F("attempt__points") - F("mark") * F("fraction")) / rest_max
    paired = Q(attempt__max_points__gt=F("mark"))

    def total(expression):
        return Sum(expression, filter=paired, output_field=FloatField())

    rows = (
        answers.filter(
            attempt__state=AttemptState.FINISHED,
            attempt__points__isnull=False,
            fraction__isnull=False,
        )
        .order_by()
        .values("version_id")
        .annotate(
            attempts=Count("pk"),
            score_sum=Sum(x, output_field=FloatField()),
            n=Count("pk", filter=paired),
            sx=total(x),
            sy=total(y),
            sxy=total(x * y),
            sxx=total(x * x),
            syy=total(y * y),
        )
    )
    return {
        row["version_id"]: item_analysis.analyse(
            item_analysis.Sums(
                row["n"],
                *(row[k] or 0.0 for k in ("sx", "sy", "sxy", "sxx", "syy")),
            ),
            attempts=row["attempts"],
            score_sum=row["score_sum"] or 0.0,
        )
        for row in rows
    }


@dataclass(frozen=True)
class FlaggedQuestion:
    question_id: int
    name: str
    version: int
    analysis: item_analysis.ItemAnalysis


@dataclass(frozen=True)
class FlaggedQuestions:
    count: int
    first: list[FlaggedQuestion]


def flagged_questions(limit: int = 5) -> FlaggedQuestions:
    """The questions whose current version item analysis flags (too easy, too hard,
    negative discrimination), over every finished attempt that showed it: how many, and the
    first `limit` (negative discrimination first, then the most attempts). Two queries."""
    current = AttemptQuestion.objects.filter(
        version_id=F("version__question__current_version_id"),
        version__question__archived=False,
    )
    flagged = {
        version_id: analysis
        for version_id, analysis in item_analyses(current).items()
        if analysis.flags
    }
    order = sorted(
        flagged,
        key=lambda v: (item_analysis.NEGATIVE not in flagged[v].flags, -flagged[v].attempts, v),
    )[:limit]
    names = {
        q.current_version_id: q
        for q in Question.objects.filter(current_version_id__in=order)
        .select_related("current_version")
        .only("pk", "name", "current_version__number")
    }
    return FlaggedQuestions(
        len(flagged),
        [
            FlaggedQuestion(names[v].pk, names[v].name, names[v].current_version.number, flagged[v])
            for v in order
            if v in names
        ],
    )


@dataclass(frozen=True)
class QuizProblem:
    quiz_id: int
    title: str
    problems: list[str]


@dataclass(frozen=True)
class QuizProblems:
    count: int
    first: list[QuizProblem]


def quizzes_with_problems(limit: int = 5) -> QuizProblems:
    """Quizzes a learner could not start, or would start with a withdrawn question
    (`drawing.slot_problems`): how many, and the first `limit` by title. Two queries,
    whatever the number of quizzes."""
    available = (
        Question.objects.filter(
            category_id=OuterRef("category_id"),
            archived=False,
            current_version__isnull=False,
        )
        .order_by()
        .values("category_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    slots: dict[int, list[drawing.SlotCheck]] = defaultdict(list)
    for quiz_id, question_id, archived, category_id, count, in_category in (
        QuizSlot.objects.annotate(in_category=Subquery(available))
        .order_by("quiz_id", "sort_order")
        .values_list(
            "quiz_id", "question_id", "question__archived", "category_id", "count", "in_category"
        )
    ):
        slots[quiz_id].append(
            drawing.SlotCheck(
                question_id=question_id,
                question_archived=bool(archived),
                category_id=category_id,
                count=count,
                available=in_category or 0,
            )
        )
    titles = dict(Quiz.objects.values_list("pk", "title"))
    found = []
    for quiz_id, title in titles.items():
        problems = drawing.slot_problems(slots.get(quiz_id, []))
        if problems:
            found.append(QuizProblem(quiz_id, title, problems))
    found.sort(key=lambda p: (p.title, p.quiz_id))
    return QuizProblems(len(found), found[:limit])


def _option_counts(stats: QuestionStatistics, spec: dict, counts: Counter) -> list[dict]:
    if stats.kind not in kinds.CHOICE_KINDS:
        return []
    if stats.kind == kinds.TRUE_FALSE:
        options = [
            {"text": "对", "right": spec["answer"] is True, "count": counts[True]},
            {"text": "错", "right": spec["answer"] is False, "count": counts[False]},
        ]
    else:
        options = [
            {"text": c["text"], "right": c["fraction"] > 0, "count": counts[c["id"]]}
            for c in spec["choices"]
        ]
    for option in options:
        option["share"] = 100 * option["count"] / stats.shown if stats.shown else 0
    return options


def quiz_summaries(query: str | None = None):
    """Every quiz (or those whose title holds every term of `query`) with its finished
    attempts, passes and learners (one query)."""
    finished = Q(attempts__state=AttemptState.FINISHED)
    quizzes = search_by_substring(Quiz.objects.all(), query, ["title"], ranked=False)
    return quizzes.annotate(
        finished_attempts=Count("attempts", filter=finished),
        passed_attempts=Count("attempts", filter=finished & Q(attempts__passed=True)),
        learners=Count("attempts__user", filter=finished, distinct=True),
        waiting=Count("attempts", filter=Q(attempts__state=AttemptState.AWAITING_GRADING)),
    ).order_by("title")


def bank_as_gift(category=None) -> str:
    """The current version of every question (or one category's) as a GIFT file."""
    from .gift import export_gift
    from .imported import ImportedQuestion
    from .models import Question

    questions = Question.objects.select_related("category", "current_version").filter(
        current_version__isnull=False
    )
    if category is not None:
        questions = questions.filter(category=category)
    return export_gift(
        ImportedQuestion(name=q.name, category=q.category.name, spec=q.current_version.spec, line=0)
        for q in questions.order_by("category__name", "pk")
    )
