"""Grading rules for every question kind. Pure Python: a spec (see `spec.py`) and a learner's
response in, a `Grade` out. No database, no request.

Responses by kind (what the browser sends, after `clean_response`):

single      a choice id, or None
multiple    a list of choice ids
truefalse   True / False, or None
ordering    a list of item ids: the learner's order, every item exactly once
matching    {prompt pair id: answer option id} (see `matching_answer_options`)
shortanswer a string
numeric     a string as typed (full-width digits and a decimal comma are accepted)
essay       a string
description None

A response that could not have come from the question as shown (an unknown option, an
ordering that drops an item) raises `InvalidResponse`: it is tampering or a bug, never a
wrong answer.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from academy import limits
from django.utils.translation import gettext as _

from . import spec as kinds

CORRECT = "correct"
PARTIAL = "partial"
WRONG = "wrong"
UNANSWERED = "unanswered"
NEEDS_GRADING = "needs_grading"
INFO = "info"

# Floating-point sums of fractions such as 1/3 + 1/3 + 1/3 must still count as full marks.
_EPSILON = 1e-6


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown option, wrong shape)."""


@dataclass(frozen=True)
class Grade:
    fraction: float | None  # 0..1; None while a trainer still has to grade it
    state: str
    feedback: list[str] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.fraction is not None


def _state_for(fraction: float) -> str:
    if fraction >= 1 - _EPSILON:
        return CORRECT
    if fraction <= _EPSILON:
        return WRONG
    return PARTIAL


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def normalise_text(text: str, *, case_sensitive: bool = False) -> str:
    """Full-width letters and digits → half-width, whitespace collapsed, case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if case_sensitive else text.casefold()


def parse_number(text: str) -> float | None:
    """A number as a learner types it: '70', '７０', '70.5', '70,5', '1,000' → float; else None."""
    text = unicodedata.normalize("NFKC", text or "").strip().replace("，", ",")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")  # 1,000 or 12,345.6: thousands separators
    elif re.fullmatch(r"[-+]?\d+,\d+", text):
        text = text.replace(",", ".")  # 52,5: a decimal comma
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def matching_answer_id(answer_text: str) -> str:
    """The id of a matching answer option: derived from its text alone, so that it says
    nothing about which prompt it belongs to (a pair's own id would give the key away)."""
    return "a" + hashlib.sha256(answer_text.encode("utf-8")).hexdigest()[:12]


def matching_answer_options(spec: dict) -> list[dict]:
    """The distinct answers a matching question offers: [{id, text}], one per distinct text."""
    options: dict[str, dict] = {}
    for pair in spec.get("pairs", []):
        answer = pair["answer"]
        options.setdefault(answer, {"id": matching_answer_id(answer), "text": answer})
    return list(options.values())


def matching_prompts(spec: dict) -> list[dict]:
    return [p for p in spec.get("pairs", []) if str(p.get("prompt", "")).strip()]


# --- cleaning: from what was posted to a response of the right shape -----------------------


def answer_max_length(kind: str) -> int | None:
    """How many characters a typed answer may have: a written reply WRITTEN_REPLY, a short or
    numeric answer SHORT_ANSWER; None for answers that are picked, not typed."""
    if kind == kinds.ESSAY:
        return limits.WRITTEN_REPLY
    if kind in (kinds.SHORT_ANSWER, kinds.NUMERIC):
        return limits.SHORT_ANSWER
    return None


def clean_response(spec: dict, raw):
    """Check a posted response against the question and return it in canonical shape.

    `raw` for list kinds may be a list or a single value; empty values mean unanswered.
    """
    cleaner = _CLEANERS.get(spec["kind"])
    return cleaner(spec, raw) if cleaner else None


def _clean_single(spec, raw):
    if raw in (None, "", []):
        return None
    if isinstance(raw, list):
        if len(raw) != 1:
            raise InvalidResponse(_("Choose only one answer for a single-choice question."))
        raw = raw[0]
    ids = {c["id"] for c in spec["choices"]}
    if raw not in ids:
        raise InvalidResponse(_("The chosen answer does not belong to this question."))
    return raw


def _clean_multiple(spec, raw) -> list[str]:
    """The chosen option ids once each, in the question's order."""
    values = [] if raw in (None, "") else raw if isinstance(raw, list) else [raw]
    ids = {c["id"] for c in spec["choices"]}
    if any(v not in ids for v in values):
        raise InvalidResponse(_("The chosen answer does not belong to this question."))
    return sorted(set(values), key=[c["id"] for c in spec["choices"]].index)


def _clean_true_false(spec, raw) -> bool | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        return raw
    if raw in ("true", "false"):
        return raw == "true"
    raise InvalidResponse(_("A true/false answer must be true or false."))


def _clean_ordering(spec, raw) -> list[str] | None:
    """Every step id exactly once, as a list or comma-separated."""
    if raw in (None, "", []):
        return None
    values = raw if isinstance(raw, list) else str(raw).split(",")
    if sorted(values) != sorted(i["id"] for i in spec["items"]):
        raise InvalidResponse(_("An ordering answer must contain every step exactly once."))
    return list(values)


def _clean_matching(spec, raw) -> dict[str, str]:
    """{prompt id: answer option id}; prompts left unanswered are left out."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise InvalidResponse(_("The matching answer is not in the expected form."))
    prompts = {p["id"] for p in matching_prompts(spec)}
    answers = {o["id"] for o in matching_answer_options(spec)}
    cleaned = {}
    for prompt_id, answer_id in raw.items():
        if prompt_id not in prompts or (answer_id and answer_id not in answers):
            raise InvalidResponse(_("The chosen answer does not belong to this question."))
        if answer_id:
            cleaned[prompt_id] = answer_id
    return cleaned


def _clean_typed(spec, raw) -> str:
    """A typed answer (short, numeric or essay): text within `answer_max_length`."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InvalidResponse(_("The answer must be text."))
    limit = answer_max_length(spec["kind"])
    if len(raw) > limit:
        raise InvalidResponse(
            _("The answer is too long (at most %(limit)d characters).") % {"limit": limit}
        )
    return raw


_CLEANERS = {
    kinds.SINGLE: _clean_single,
    kinds.MULTIPLE: _clean_multiple,
    kinds.TRUE_FALSE: _clean_true_false,
    kinds.ORDERING: _clean_ordering,
    kinds.MATCHING: _clean_matching,
    kinds.SHORT_ANSWER: _clean_typed,
    kinds.NUMERIC: _clean_typed,
    kinds.ESSAY: _clean_typed,
}


def order_from_ranks(shown: list[str], ranks: dict[str, str]) -> list[str] | None:
    """An ordering answer given without JavaScript: a place ("1", "2", …) chosen per step.

    `shown` is the order the steps were shown in. Steps are put by their place; steps given
    the same place keep the order they were shown in, and steps without a place (or with
    one that is no place of this question) go last. No place chosen at all is unanswered
    (None). Ties are never broken by the right order: that would give the answer away.
    """
    places: dict[str, int] = {}
    for step in shown:
        value = str(ranks.get(step) or "").strip()
        if value.isdigit() and 1 <= int(value) <= len(shown):
            places[step] = int(value)
    if not places:
        return None
    last = len(shown) + 1
    return sorted(shown, key=lambda step: (places.get(step, last), shown.index(step)))


def reply_characters(response) -> int:
    """A written reply's length as a Chinese 字数: its characters without spaces and line
    breaks (so that indenting or blank lines neither add nor cost length)."""
    return len(re.sub(r"\s+", "", response)) if isinstance(response, str) else 0


def is_answered(spec: dict, response) -> bool:
    """Whether a saved response answers the question, as the attempt's navigator and the
    submit confirmation count it: what grading would not call unanswered. A description
    asks nothing, so it is never answered (nor listed)."""
    kind = spec["kind"]
    if kind in (kinds.SHORT_ANSWER, kinds.NUMERIC, kinds.ESSAY):
        return isinstance(response, str) and bool(response.strip())
    if kind in (kinds.MULTIPLE, kinds.MATCHING, kinds.ORDERING):
        return bool(response)
    if kind in kinds.UNSCORED:
        return False
    return response is not None


# --- grading ------------------------------------------------------------------------------


def grade(spec: dict, response) -> Grade:
    """Grade a cleaned response. Raises InvalidResponse if it does not fit the question."""
    response = clean_response(spec, response)
    kind = spec["kind"]
    return _GRADERS[kind](spec, response)


def _grade_single(spec, response) -> Grade:
    if response is None:
        return Grade(0.0, UNANSWERED)
    choice = next(c for c in spec["choices"] if c["id"] == response)
    fraction = _clamp(choice["fraction"])
    return Grade(fraction, _state_for(fraction), _feedback([choice.get("feedback")]))


def _grade_multiple(spec, response) -> Grade:
    """Sum of the chosen options' fractions, clamped to 0..1.

    Selecting every option earns nothing, and a wrong option that carries no penalty of its
    own (0%) still costs as much as one right option is worth: otherwise ticking everything
    would be a winning strategy. An explicit penalty is applied as the author set it.
    """
    if not response:
        return Grade(0.0, UNANSWERED)
    choices = spec["choices"]
    chosen = [c for c in choices if c["id"] in response]
    if len(chosen) == len(choices):
        return Grade(0.0, WRONG, _feedback(c.get("feedback") for c in chosen))
    right = [c for c in choices if c["fraction"] > 0]
    default_penalty = 1 / len(right) if right else 1.0
    total = 0.0
    for choice in chosen:
        if choice["fraction"] > 0:
            total += choice["fraction"]
        elif choice["fraction"] < 0:
            total += choice["fraction"]
        else:
            total -= default_penalty
    fraction = _clamp(total)
    return Grade(fraction, _state_for(fraction), _feedback(c.get("feedback") for c in chosen))


def _grade_true_false(spec, response) -> Grade:
    if response is None:
        return Grade(0.0, UNANSWERED)
    fraction = 1.0 if response == spec["answer"] else 0.0
    feedback = spec.get("feedback_true") if response else spec.get("feedback_false")
    return Grade(fraction, _state_for(fraction), _feedback([feedback]))


def _grade_ordering(spec, response) -> Grade:
    """Partial credit by the longest run of steps kept in the right relative order.

    (LIS − 1) / (n − 1): the right order scores 1, the reversed order 0, and moving one step
    to a wrong place costs one step's worth, not everything after it.
    """
    if response is None:
        return Grade(0.0, UNANSWERED)
    position = {item["id"]: index for index, item in enumerate(spec["items"])}
    sequence = [position[item_id] for item_id in response]
    n = len(sequence)
    if n < 2:
        return Grade(1.0, CORRECT)
    fraction = (_longest_increasing_subsequence(sequence) - 1) / (n - 1)
    return Grade(fraction, _state_for(fraction))


def _longest_increasing_subsequence(values: list[int]) -> int:
    from bisect import bisect_left

    tails: list[int] = []
    for value in values:
        index = bisect_left(tails, value)
        if index == len(tails):
            tails.append(value)
        else:
            tails[index] = value
    return len(tails)


def _grade_matching(spec, response) -> Grade:
    prompts = matching_prompts(spec)
    if not response:
        return Grade(0.0, UNANSWERED)
    right = sum(1 for p in prompts if response.get(p["id"]) == matching_answer_id(p["answer"]))
    fraction = right / len(prompts)
    return Grade(fraction, _state_for(fraction))


def _grade_short_answer(spec, response) -> Grade:
    if not response.strip():
        return Grade(0.0, UNANSWERED)
    case_sensitive = bool(spec.get("case_sensitive"))
    given = normalise_text(response, case_sensitive=case_sensitive)
    best = None
    for answer in spec["answers"]:
        pattern = normalise_text(answer["text"], case_sensitive=case_sensitive)
        better = best is None or answer["fraction"] > best["fraction"]
        if better and _wildcard_match(given, pattern):
            best = answer
    if best is None:
        return Grade(0.0, WRONG)
    fraction = _clamp(best["fraction"])
    return Grade(fraction, _state_for(fraction), _feedback([best.get("feedback")]))


def _wildcard_match(given: str, pattern: str) -> bool:
    """Moodle's short-answer wildcard: `*` matches any run of characters; nothing else special."""
    if "*" not in pattern:
        return given == pattern
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, given, flags=re.DOTALL) is not None


def _grade_numeric(spec, response) -> Grade:
    if not response.strip():
        return Grade(0.0, UNANSWERED)
    value = parse_number(response)
    if value is None:
        return Grade(0.0, WRONG, [_("Please enter a number.")])
    best = None
    for answer in spec["answers"]:
        tolerance = abs(answer.get("tolerance", 0) or 0)
        # A tiny allowance so that 0.1 + 0.2 style representation errors never fail a learner.
        if abs(value - answer["value"]) <= tolerance + 1e-9 and (
            best is None or answer["fraction"] > best["fraction"]
        ):
            best = answer
    if best is None:
        return Grade(0.0, WRONG)
    fraction = _clamp(best["fraction"])
    return Grade(fraction, _state_for(fraction), _feedback([best.get("feedback")]))


def _grade_essay(spec, response) -> Grade:
    if not response.strip():
        # Nothing to read: a blank reply scores zero without waiting for a trainer.
        return Grade(0.0, UNANSWERED)
    return Grade(None, NEEDS_GRADING)


def _grade_description(spec, response) -> Grade:
    return Grade(None, INFO)


_GRADERS = {
    kinds.SINGLE: _grade_single,
    kinds.MULTIPLE: _grade_multiple,
    kinds.TRUE_FALSE: _grade_true_false,
    kinds.ORDERING: _grade_ordering,
    kinds.MATCHING: _grade_matching,
    kinds.SHORT_ANSWER: _grade_short_answer,
    kinds.NUMERIC: _grade_numeric,
    kinds.ESSAY: _grade_essay,
    kinds.DESCRIPTION: _grade_description,
}


def _feedback(messages) -> list[str]:
    return [m for m in messages if m]


# --- a trainer's rubric grade --------------------------------------------------------------


def rubric_fraction(spec: dict, awarded: list[int] | None, percent: float | None = None) -> float:
    """The fraction a trainer's grade is worth.

    With a rubric, `awarded` gives the points per criterion (each 0..its maximum); without
    one, the trainer gives a percentage.
    """
    rubric = spec.get("rubric") or []
    if rubric:
        if awarded is None or len(awarded) != len(rubric):
            raise InvalidResponse(_("Give points for every rubric criterion."))
        for points, criterion in zip(awarded, rubric, strict=True):
            if not 0 <= points <= criterion["points"]:
                raise InvalidResponse(
                    _("Points for “%(criterion)s” must be between 0 and %(points)d.")
                    % {"criterion": criterion["criterion"], "points": criterion["points"]}
                )
        return sum(awarded) / sum(c["points"] for c in rubric)
    if percent is None or not 0 <= percent <= 100:
        raise InvalidResponse(_("The grade must be between 0 and 100."))
    return percent / 100


# --- quiz totals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptTotals:
    points: float  # marks earned so far
    max_points: float
    pending: int  # questions waiting for a trainer

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0

    def passed(self, pass_mark: float) -> bool | None:
        """None while any question waits for a trainer: the result is not known yet."""
        if self.pending:
            return None
        return self.percent + _EPSILON >= pass_mark


def attempt_totals(marked: list[tuple[float, float | None, str]]) -> AttemptTotals:
    """(mark, fraction, kind) per question → totals. Descriptions are worth nothing."""
    points = max_points = 0.0
    pending = 0
    for mark, fraction, kind in marked:
        if kind in kinds.UNSCORED:
            continue
        max_points += mark
        if fraction is None:
            pending += 1
        else:
            points += mark * fraction
    return AttemptTotals(round(points, 4), max_points, pending)


def best_result(results: list[tuple[float, bool]], method: str) -> tuple[float, bool] | None:
    """The quiz grade from finished attempts (percent, passed), oldest first: highest or latest."""
    if not results:
        return None
    if method == "latest":
        return results[-1]
    return max(results, key=lambda r: r[0])
