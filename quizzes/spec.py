"""The canonical form of a question: a JSON-serialisable dict, shared by the bank, the importers,
the exporter and grading. Pure Python: no Django.

Every question version stores one spec. Keys by kind (all text is HTML unless said otherwise):

common      kind, text, general_feedback (shown after answering, whatever the answer)
single      choices: [{id, text, fraction, feedback}]  — one answer; best fraction is 1
multiple    choices: same; several answers; positive fractions add up to 1, wrong ones ≤ 0
truefalse   answer: bool, feedback_true, feedback_false  (feedback for answering true / false)
ordering    items: [{id, text}] in the correct order
matching    pairs: [{id, prompt, answer}] (plain-text answer); a pair with an empty prompt is
            a distractor answer
shortanswer answers: [{text, fraction, feedback}] (plain text, `*` is a wildcard),
            case_sensitive: bool
numeric     answers: [{value, tolerance, fraction, feedback}]; a range min..max is stored as
            its midpoint with half its width as tolerance
essay       rubric: [{criterion, points}] — graded by a trainer; reply_template (plain text);
            reply_length: {min, max} — optional, the length the reply should have in
            characters (`grading.reply_characters`), either bound may be left out; the
            grader sees the reply's length against it (older specs have none: no bounds)
description no answer; information shown between questions, never scored

Fractions are floats between -1 and 1 (Moodle's percentages divided by 100). Ids are short
opaque strings, unique within the question; `assign_ids` fills in missing ones with random
tokens so that an id never hints at which option is right.

Sizes (academy.limits) are part of a valid spec: the question text, its general feedback and
an essay's reply template hold at most QUESTION_TEXT characters (HTML markup counts), each
option, step, pair side, accepted answer, rubric criterion and feedback OPTION_TEXT, and a
question at most OPTIONS options, steps, pairs, answers or criteria. `spec_problems` is the
one place these are checked; the importers call `too_long` / `too_many` to refuse a part
before spending time on it, so every way in says the same words.
"""

from __future__ import annotations

import math
import secrets

from academy import limits
from django.utils.translation import gettext as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "truefalse"
ORDERING = "ordering"
MATCHING = "matching"
SHORT_ANSWER = "shortanswer"
NUMERIC = "numeric"
ESSAY = "essay"
DESCRIPTION = "description"

KINDS = (
    SINGLE,
    MULTIPLE,
    TRUE_FALSE,
    ORDERING,
    MATCHING,
    SHORT_ANSWER,
    NUMERIC,
    ESSAY,
    DESCRIPTION,
)
CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)
MANUALLY_GRADED = (ESSAY,)
UNSCORED = (DESCRIPTION,)

# The lists whose entries carry ids, by kind.
OPTION_ID_LISTS = {SINGLE: "choices", MULTIPLE: "choices", ORDERING: "items", MATCHING: "pairs"}


def new_id() -> str:
    return secrets.token_hex(4)


def assign_ids(spec: dict) -> dict:
    """Return a copy of `spec` in which every choice / item / pair has a unique id."""
    spec = {**spec}
    key = OPTION_ID_LISTS.get(spec.get("kind"))
    if key:
        seen: set[str] = set()
        entries = []
        for entry in spec.get(key, []):
            entry = {**entry}
            if not entry.get("id") or entry["id"] in seen:
                entry["id"] = new_id()
            seen.add(entry["id"])
            entries.append(entry)
        spec[key] = entries
    return spec


def _fraction_ok(value) -> bool:
    return isinstance(value, int | float) and -1 <= value <= 1 and not math.isnan(value)


# The parts of a spec whose texts are question-sized; everything else is option-sized.
QUESTION_SIZED = ("text", "general_feedback", "reply_template")
# Per kind: the list whose length OPTIONS bounds, and the option-sized texts of its entries.
_OPTION_LISTS = {
    SINGLE: ("choices", ("text", "feedback")),
    MULTIPLE: ("choices", ("text", "feedback")),
    ORDERING: ("items", ("text",)),
    MATCHING: ("pairs", ("prompt", "answer")),
    SHORT_ANSWER: ("answers", ("text", "feedback")),
    NUMERIC: ("answers", ("feedback",)),
    ESSAY: ("rubric", ("criterion",)),
}


def text_limit(part: str) -> int:
    """How many characters the text of `part` may hold (see `too_long`)."""
    return limits.QUESTION_TEXT if part in QUESTION_SIZED else limits.OPTION_TEXT


def too_long(part: str) -> str:
    """The problem of a text longer than its limit: `part` is one of QUESTION_SIZED, or
    "option" for any option-sized text."""
    if part == "text":
        message = _(
            "The question text is too long: at most %(limit)d characters (formatting included)."
        )
    elif part == "general_feedback":
        message = _(
            "The explanation is too long: at most %(limit)d characters (formatting included)."
        )
    elif part == "reply_template":
        message = _("The reply template is too long: at most %(limit)d characters.")
    else:
        return _(
            "An option, answer, step, pair, criterion or feedback is too long: at most "
            "%(limit)d characters each."
        ) % {"limit": limits.OPTION_TEXT}
    return message % {"limit": limits.QUESTION_TEXT}


def too_many() -> str:
    return _(
        "A question may have at most %(limit)d options, answers, steps, pairs or rubric criteria."
    ) % {"limit": limits.OPTIONS}


def size_problems(spec: dict) -> dict[str, list[str]]:
    """What is too long or too many in a spec, by part ("text", "general_feedback",
    "reply_template", "answers")."""
    found: dict[str, list[str]] = {}
    for part in QUESTION_SIZED:
        if len(str(spec.get(part) or "")) > limits.QUESTION_TEXT:
            found[part] = [too_long(part)]
    entries: list = []
    texts: list[str] = []
    if spec.get("kind") in _OPTION_LISTS:
        key, fields = _OPTION_LISTS[spec["kind"]]
        entries = spec.get(key) or []
        texts = [str(e.get(f) or "") for e in entries if isinstance(e, dict) for f in fields]
    elif spec.get("kind") == TRUE_FALSE:
        texts = [str(spec.get("feedback_true") or ""), str(spec.get("feedback_false") or "")]
    answers = []
    if len(entries) > limits.OPTIONS:
        answers.append(too_many())
    if any(len(t) > limits.OPTION_TEXT for t in texts):
        answers.append(too_long("option"))
    if answers:
        found["answers"] = answers
    return found


def spec_problems(spec: dict) -> list[str]:
    """Everything wrong with a spec, in words a trainer understands (translated); [] if fine."""
    return [message for messages in spec_problems_by_part(spec).values() for message in messages]


def spec_problems_by_part(spec: dict) -> dict[str, list[str]]:
    """`spec_problems` by the part they concern ("text", "general_feedback", "reply_template",
    "answers" — the question form's fields), for a form to show each beside its field."""
    kind = spec.get("kind")
    if kind not in KINDS:
        return {"answers": [_("Unknown question type: %(kind)r") % {"kind": kind}]}
    found = size_problems(spec)
    if not str(spec.get("text", "")).strip():
        found.setdefault("text", []).insert(0, _("The question text must not be empty."))
    if too_many() in found.get("answers", ()):
        return found  # weighing the grades of 200,000 options helps nobody
    problems = found.get("answers", []) + _answer_problems(spec, kind)
    if problems:
        found["answers"] = problems
    return found


def _answer_problems(spec: dict, kind: str) -> list[str]:
    """What is wrong with the answer part of a spec of `kind` (sizes aside)."""
    check = _ANSWER_CHECKS.get(kind)
    return check(spec) if check else []


def _choice_problems(spec: dict) -> list[str]:
    """Single choice: one option worth 100%. Multiple choice: the right options add up to 100%
    and at least one option is wrong."""
    problems: list[str] = []
    choices = spec.get("choices") or []
    if len(choices) < 2:
        problems.append(_("A choice question needs at least two options."))
    if any(not str(c.get("text", "")).strip() for c in choices):
        problems.append(_("An option must not be empty."))
    if any(not _fraction_ok(c.get("fraction")) for c in choices):
        problems.append(_("An option's grade must be between -100% and 100%."))
    elif spec["kind"] == SINGLE and choices and max(c["fraction"] for c in choices) < 1:
        problems.append(_("A single-choice question needs one right option worth 100%."))
    elif spec["kind"] == MULTIPLE and choices:
        positive = sum(c["fraction"] for c in choices if c["fraction"] > 0)
        if abs(positive - 1) > 0.01:
            problems.append(
                _(
                    "The right options of a multiple-choice question must add up to "
                    "100%% (now %(total)d%%)."
                )
                % {"total": round(positive * 100)}
            )
        if all(c["fraction"] > 0 for c in choices):
            problems.append(_("A multiple-choice question needs at least one wrong option."))
    return problems


def _true_false_problems(spec: dict) -> list[str]:
    if not isinstance(spec.get("answer"), bool):
        return [_("A true/false question needs its right answer (true or false).")]
    return []


def _ordering_problems(spec: dict) -> list[str]:
    problems: list[str] = []
    items = spec.get("items") or []
    if len(items) < 2:
        problems.append(_("An ordering question needs at least two steps."))
    if any(not str(i.get("text", "")).strip() for i in items):
        problems.append(_("A step of an ordering question must not be empty."))
    return problems


def _matching_problems(spec: dict) -> list[str]:
    """At least two pairs with a prompt (pairs without one are distractor answers)."""
    problems: list[str] = []
    pairs = spec.get("pairs") or []
    if sum(1 for p in pairs if str(p.get("prompt", "")).strip()) < 2:
        problems.append(_("A matching question needs at least two pairs."))
    if any(not str(p.get("answer", "")).strip() for p in pairs):
        problems.append(_("An answer of a matching question must not be empty."))
    return problems


def _short_answer_problems(spec: dict) -> list[str]:
    problems: list[str] = []
    answers = spec.get("answers") or []
    if not answers:
        problems.append(_("A short-answer question needs at least one accepted answer."))
    if any(not str(a.get("text", "")).strip() for a in answers):
        problems.append(_("An accepted answer must not be empty."))
    if any(not _fraction_ok(a.get("fraction")) for a in answers):
        problems.append(_("An answer's grade must be between -100% and 100%."))
    elif answers and max(a["fraction"] for a in answers) < 1:
        problems.append(_("A short-answer question needs one answer worth 100%."))
    return problems


def _numeric_problems(spec: dict) -> list[str]:
    problems: list[str] = []
    answers = spec.get("answers") or []
    if not answers:
        problems.append(_("A numeric question needs at least one answer."))
    for a in answers:
        if not isinstance(a.get("value"), int | float) or not isinstance(
            a.get("tolerance", 0), int | float
        ):
            problems.append(_("A numeric answer and its tolerance must be numbers."))
            break
        if a.get("tolerance", 0) < 0:
            problems.append(_("A tolerance must not be negative."))
            break
    if answers and all(_fraction_ok(a.get("fraction")) for a in answers):
        if max(a["fraction"] for a in answers) < 1:
            problems.append(_("A numeric question needs one answer worth 100%."))
    elif answers:
        problems.append(_("An answer's grade must be between -100% and 100%."))
    return problems


def _rubric_problems(spec: dict) -> list[str]:
    """An essay's rubric is optional; each criterion has words and positive whole points.
    Its reply length is optional too; each bound is a positive whole number, min ≤ max."""
    for criterion in spec.get("rubric") or []:
        if not str(criterion.get("criterion", "")).strip():
            return [_("A rubric criterion must not be empty.")]
        points = criterion.get("points")
        if not isinstance(points, int) or points <= 0:
            return [_("A rubric criterion's points must be a positive whole number.")]
    return _reply_length_problems(spec.get("reply_length"))


def _reply_length_problems(wanted) -> list[str]:
    if wanted in (None, {}):
        return []
    bounds = [wanted.get(k) for k in ("min", "max")] if isinstance(wanted, dict) else [0]
    if any(
        b is not None and (not isinstance(b, int) or isinstance(b, bool) or b <= 0) for b in bounds
    ):
        return [_("A reply length must be a positive whole number of characters.")]
    if None not in bounds and bounds[0] > bounds[1]:
        return [_("The shortest reply length must not be longer than the longest.")]
    return []


def reply_length(spec: dict) -> tuple[int | None, int | None]:
    """The (shortest, longest) reply an essay asks for, in characters; None: no bound."""
    wanted = spec.get("reply_length") or {}
    return wanted.get("min"), wanted.get("max")


_ANSWER_CHECKS = {
    SINGLE: _choice_problems,
    MULTIPLE: _choice_problems,
    TRUE_FALSE: _true_false_problems,
    ORDERING: _ordering_problems,
    MATCHING: _matching_problems,
    SHORT_ANSWER: _short_answer_problems,
    NUMERIC: _numeric_problems,
    ESSAY: _rubric_problems,
}
