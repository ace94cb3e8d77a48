"""Quiz rules that are not about grading one question: when an attempt may start, when it
must end, how its questions are paged, and what its review may show. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

# Answers that left the browser just before the deadline still count: the network is slow.
SUBMIT_GRACE = timedelta(seconds=30)

SCORE, WRONG, FULL = "score", "wrong", "full"


@dataclass(frozen=True)
class QuizRules:
    max_attempts: int = 0  # 0: unlimited
    wait_minutes: int = 0
    time_limit_minutes: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def quiz_rules(quiz) -> QuizRules:
    """The rules a quiz (a `Quiz`, or anything with its fields) sets for its attempts."""
    return QuizRules(
        max_attempts=quiz.max_attempts,
        wait_minutes=quiz.attempt_wait_minutes,
        time_limit_minutes=quiz.time_limit_minutes,
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
    )


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_at: datetime | None = None


def start_refusal(
    rules: QuizRules,
    *,
    attempts_used: int,
    last_submitted_at: datetime | None,
    now: datetime,
    awaiting_grading: bool = False,
) -> Refusal | None:
    """Why a learner may not start another attempt now, or None if they may.

    While a submitted attempt waits for a trainer to grade its written reply, no new attempt
    starts: its result (and what the trainer says) should come first. The reasons that
    stay true after the grade (closed, no attempts left) are given before this one.
    """
    if rules.opens_at and now < rules.opens_at:
        return Refusal(_("This quiz is not open yet."), rules.opens_at)
    if rules.closes_at and now >= rules.closes_at:
        return Refusal(_("This quiz has closed."))
    if rules.max_attempts and attempts_used >= rules.max_attempts:
        return Refusal(
            _("You have used all %(count)d attempts at this quiz.") % {"count": rules.max_attempts}
        )
    if awaiting_grading:
        return Refusal(_("Waiting for grading: you can try again once it is graded."))
    if rules.wait_minutes and last_submitted_at:
        retry_at = last_submitted_at + timedelta(minutes=rules.wait_minutes)
        if now < retry_at:
            return Refusal(_("You can try again after the waiting time."), retry_at)
    return None


def deadline_for(rules: QuizRules, started_at: datetime) -> datetime | None:
    """An attempt ends at its time limit or when the quiz closes, whichever comes first."""
    ends = []
    if rules.time_limit_minutes:
        ends.append(started_at + timedelta(minutes=rules.time_limit_minutes))
    if rules.closes_at:
        ends.append(rules.closes_at)
    return min(ends) if ends else None


def attempt_deadline(deadline: datetime | None, closes_at: datetime | None) -> datetime | None:
    """When an attempt ends now: the deadline fixed when it started (`deadline_for`), or the
    quiz's close date if a trainer has since set an earlier one."""
    ends = [d for d in (deadline, closes_at) if d is not None]
    return min(ends) if ends else None


def is_time_up(deadline: datetime | None, now: datetime) -> bool:
    """The attempt's time has run out: whatever is submitted now was submitted by the clock
    (the page's countdown, or the next request), not by the learner."""
    return deadline is not None and now >= deadline


def is_past_deadline(deadline: datetime | None, now: datetime) -> bool:
    """Answers sent now come too late to count (`SUBMIT_GRACE` after the deadline)."""
    return deadline is not None and now > deadline + SUBMIT_GRACE


def review_level(
    detail: str,
    when: str,
    closes_at: datetime | None,
    now: datetime,
    *,
    awaiting_grading: bool = False,
) -> str:
    """What the review may show now: the score always; details per the quiz's policy.

    While a written reply of the learner's waits for a trainer, a full review shows only
    which questions were wrong: right answers, rubrics and explanations wait for the grade.
    """
    if when == "after_close" and (closes_at is None or now < closes_at):
        return SCORE
    if full_review_held(detail, awaiting_grading=awaiting_grading):
        return WRONG
    return detail


def full_review_held(detail: str, *, awaiting_grading: bool) -> bool:
    """A full review is held back until the trainer's grade (see `review_level`)."""
    return awaiting_grading and detail == FULL


# --- paging: questions per page -----------------------------------------------------------


def page_count(questions: int, per_page: int) -> int:
    """How many pages `questions` questions fill, `per_page` to a page (0: all on one)."""
    if per_page <= 0 or questions <= 0:
        return 1
    return -(-questions // per_page)


def page_of(index: int, per_page: int) -> int:
    """The page (from 1) of the question at `index` (from 0) in the attempt's order."""
    return 1 if per_page <= 0 else index // per_page + 1


def clamp_page(page: int, pages: int) -> int:
    """A page number asked for, within 1..pages (a stale link finds the nearest page)."""
    return min(max(page, 1), pages)


def page_indexes(questions: int, per_page: int, page: int) -> range:
    """The indexes (from 0) of the questions on `page`: every one when `per_page` is 0.
    Descriptions take a place like any question, as they stand before the questions they
    introduce."""
    if per_page <= 0:
        return range(questions)
    page = clamp_page(page, page_count(questions, per_page))
    return range((page - 1) * per_page, min(page * per_page, questions))


# A learner's standing in one quiz, as every page words it (module cards, the learner home).
PASSED, AWAITING_GRADING, NOT_PASSED, NOT_TAKEN = (
    "passed",
    "awaiting_grading",
    "not_passed",
    "not_taken",
)


def learner_state(result: tuple[float, bool] | None, *, awaiting_grading: bool) -> str:
    """The quiz grade (`grading.best_result`: percent, passed) passed: passed, even while a
    later attempt is being graded (the grade stands until that one is graded). Otherwise an
    attempt waiting for a trainer's grade: awaiting grading, never "not taken" or "not passed"
    (that one may pass). Then not passed (graded attempts, none passed), or not taken."""
    if result is not None and result[1]:
        return PASSED
    if awaiting_grading:
        return AWAITING_GRADING
    return NOT_PASSED if result is not None else NOT_TAKEN
