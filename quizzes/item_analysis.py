"""Item analysis: how hard each question is, whether it tells stronger learners from weaker
ones, and what learners typed when they got a short answer wrong. Pure Python: no database.

The statistics, over the finished attempts that showed one question version:

* **difficulty** (facility) — the mean score on the question, 0..1: for a question that is
  either right or wrong, the proportion of learners who got it right.
* **discrimination index** — the point-biserial correlation (Pearson's r) between the score
  on the question and the score on the *rest* of the attempt (the attempt's points without
  this question over its maximum without this question's mark), −1..1. Leaving the question
  out of the total keeps it from correlating with itself. Positive: learners who did well
  on the rest of the quiz did better on this question. None when it cannot be computed
  (fewer than two attempts, or everybody had the same score on the question or on the rest).

The flags trainers see, once at least `MIN_ATTEMPTS` attempts showed the version (fewer say
nothing reliable):

* too easy: difficulty above `TOO_EASY_ABOVE` (0.9);
* too hard: difficulty below `TOO_HARD_BELOW` (0.2);
* negative discrimination: an index below 0 — stronger learners get it wrong more often than
  weaker ones, which usually means a wrong key or an ambiguous question.

The same sums (`Sums`) are built from rows in Python (`Sums.of`) or by one SQL aggregate
(`quizzes.selectors.item_sums`); `analyse` reads either.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import grading
from . import spec as kinds

MIN_ATTEMPTS = 10
TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.2
NEGATIVE_BELOW = 0.0

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
NEGATIVE = "negative"

# Typed answers whose wrong responses are listed (`typed_wrong_answers`).
TYPED_KINDS = (kinds.SHORT_ANSWER, kinds.NUMERIC)


def rest_score(points: float, max_points: float, mark: float, fraction: float) -> float | None:
    """The attempt's score without this question, 0..1; None when nothing else was scored."""
    rest_max = max_points - mark
    if rest_max <= 0:
        return None
    return (points - mark * fraction) / rest_max


@dataclass(frozen=True)
class Sums:
    """n and the sums of x (question score), y (rest score), xy, x², y² over the attempts."""

    n: int = 0
    x: float = 0.0
    y: float = 0.0
    xy: float = 0.0
    xx: float = 0.0
    yy: float = 0.0

    @classmethod
    def of(cls, pairs: Iterable[tuple[float, float]]) -> Sums:
        """From (question score, rest score) pairs."""
        n = 0
        x = y = xy = xx = yy = 0.0
        for item, rest in pairs:
            n += 1
            x += item
            y += rest
            xy += item * rest
            xx += item * item
            yy += rest * rest
        return cls(n, x, y, xy, xx, yy)


def difficulty(sums: Sums) -> float | None:
    return sums.x / sums.n if sums.n else None


def discrimination(sums: Sums) -> float | None:
    """Pearson's r from the sums; None for fewer than two attempts or no spread."""
    n = sums.n
    if n < 2:
        return None
    covariance = n * sums.xy - sums.x * sums.y
    spread_x = n * sums.xx - sums.x * sums.x
    spread_y = n * sums.yy - sums.y * sums.y
    # Sums of floats leave a little noise where the true spread is zero.
    if spread_x <= 1e-9 * max(1.0, n * sums.xx) or spread_y <= 1e-9 * max(1.0, n * sums.yy):
        return None
    return max(-1.0, min(1.0, covariance / math.sqrt(spread_x * spread_y)))


def flags(attempts: int, difficulty: float | None, discrimination: float | None) -> tuple:
    """The flags of a question (see the module's docstring); none below MIN_ATTEMPTS."""
    if attempts < MIN_ATTEMPTS or difficulty is None:
        return ()
    found = []
    if difficulty > TOO_EASY_ABOVE:
        found.append(TOO_EASY)
    if difficulty < TOO_HARD_BELOW:
        found.append(TOO_HARD)
    if discrimination is not None and discrimination < NEGATIVE_BELOW:
        found.append(NEGATIVE)
    return tuple(found)


@dataclass(frozen=True)
class ItemAnalysis:
    attempts: int
    difficulty: float | None
    discrimination: float | None
    flags: tuple

    @property
    def difficulty_percent(self) -> float | None:
        return None if self.difficulty is None else 100 * self.difficulty


def analyse(sums: Sums, *, attempts: int | None = None, score_sum: float | None = None):
    """The analysis of one question version. `attempts` / `score_sum`: every scored answer
    and the sum of their scores, when some of them have no rest score (a quiz of this one
    question) and so are not in `sums`; they still count for the difficulty."""
    n = sums.n if attempts is None else attempts
    total = sums.x if score_sum is None else score_sum
    d = total / n if n else None
    r = discrimination(sums)
    return ItemAnalysis(n, d, r, flags(n, d, r))


def typed_answer_key(spec: dict, response) -> str:
    """A typed answer as grading reads it: short answers normalised like `grading.
    normalise_text` (full-width to half-width, spaces collapsed, case folded unless the
    question is case sensitive); numbers as the number read (`grading.parse_number`)."""
    text = response if isinstance(response, str) else ""
    if spec["kind"] == kinds.NUMERIC:
        value = grading.parse_number(text)
        if value is not None:
            return f"{value:g}"
    return grading.normalise_text(text, case_sensitive=bool(spec.get("case_sensitive")))


def typed_wrong_answers(spec: dict, answers: Iterable[tuple[object, float | None]]) -> list:
    """The distinct wrong answers typed to a short-answer or numeric question, as
    [(answer, count)], most common first (then alphabetically). Wrong: not worth full marks;
    blank answers are not typed answers and are left out."""
    counts: Counter = Counter()
    for response, fraction in answers:
        if fraction is not None and fraction >= 1 - 1e-6:
            continue
        key = typed_answer_key(spec, response)
        if key:
            counts[key] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
