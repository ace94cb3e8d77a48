"""When a learner sees a card again, what a session holds, and what counts as practising.
Pure Python (no Django), tested without a database.

Scheduling is FSRS (the maintained `fsrs` package): each rating updates the card's memory
stability (days until the chance of recalling it falls to 90 %) and difficulty, and the next
review is due when recall is predicted to drop to the desired retention. We do not write our
own scheduler. Fuzzing is off so that the same ratings always give the same due dates: a
learner (and a test) can trust "due in 3 days".

The four ratings are FSRS's Again / Hard / Good / Easy, shown as 忘了 / 模糊 / 记得 / 很熟.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, HARD, GOOD, EASY)

SESSION_CARDS = 20  # about five minutes at ~15 seconds a card
NEW_PER_DAY = 10  # new cards introduced per learner and day
OFFLINE_DAYS = 30  # how old a rating queued offline may be and still count at its own time

# A card is held (sustained recall) once FSRS predicts at least 90 % recall three weeks after
# the last review: that takes several successful reviews spread over weeks.
HELD_STABILITY_DAYS = 21

REVIEW_STATE = int(State.Review)  # past the learning steps

_SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class Reviewed:
    """A card's memory after one rating, and what the review saw before it."""

    memory: dict  # fsrs.Card.to_dict(): state, step, stability, difficulty, due, last_review
    due: datetime
    stability: float
    difficulty: float
    state: int
    retrievability: float | None  # predicted recall at the moment of the review (None: new)


def review(memory: dict | None, rating: int, at: datetime) -> Reviewed:
    """Apply one rating made at `at` to a card's memory (None: a card never seen)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    card = Card.from_dict(memory) if memory else Card(due=at)
    before = _SCHEDULER.get_card_retrievability(card, at) if card.last_review else None
    card, _log = _SCHEDULER.review_card(card, Rating(rating), review_datetime=at)
    return Reviewed(
        memory=card.to_dict(),
        due=card.due,
        stability=card.stability or 0.0,
        difficulty=card.difficulty or 0.0,
        state=int(card.state),
        retrievability=before,
    )


def review_time(claimed: datetime | None, now: datetime, last_review: datetime | None) -> datetime:
    """When a rating counts as made: the time the device says (a rating queued offline keeps
    its own time, within `OFFLINE_DAYS`), never in the future and never before the card's
    previous review (FSRS needs reviews in order)."""
    at = claimed or now
    at = min(at, now)
    at = max(at, now - timedelta(days=OFFLINE_DAYS))
    if last_review is not None:
        at = max(at, last_review)
    return at


def is_held(state: int | None, stability: float | None) -> bool:
    return state == REVIEW_STATE and (stability or 0) >= HELD_STABILITY_DAYS


def new_allowance(introduced_today: int, due_count: int) -> int:
    """How many new cards today's session may add: within the day's limit and the session's
    size, after the cards that are due."""
    return max(0, min(NEW_PER_DAY - introduced_today, SESSION_CARDS - due_count))


def session(due: Sequence, new: Sequence) -> list:
    """Due cards first (oldest due first, as given), then new ones, at most `SESSION_CARDS`."""
    return [*due, *new][:SESSION_CARDS]


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with practice ending today, or yesterday when today's has not
    happened yet (the streak is not lost before the day is over)."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count
