"""Between the question form trainers edit (fields and answer blocks) and the canonical spec.

Option and answer texts in the blocks are plain text; the spec holds HTML, so they are
escaped on the way in and flattened on the way out. Block ids become option ids: they stay
the same across edits and say nothing about which option is right.
"""

from __future__ import annotations

import uuid
from html import escape

from bs4 import BeautifulSoup
from wagtail.rich_text import expand_db_html

from . import spec as kinds

# The answer block each kind is written with; a description has none.
ANSWER_BLOCK_BY_KIND = {
    kinds.SINGLE: "choice",
    kinds.MULTIPLE: "choice",
    kinds.TRUE_FALSE: "true_false",
    kinds.ORDERING: "step",
    kinds.MATCHING: "pair",
    kinds.SHORT_ANSWER: "accepted_answer",
    kinds.NUMERIC: "number",
    kinds.ESSAY: "criterion",
}
# Answer blocks a kind may add besides its own (an essay's wanted reply length), at most one.
OPTIONAL_ANSWER_BLOCKS = {"reply_length": (kinds.ESSAY,)}
# The question's fields that only some kinds use, and which; a question of any other kind
# keeps them empty (a description is never answered, so it has no explanation either).
KIND_ONLY_FIELDS = {
    "case_sensitive": (kinds.SHORT_ANSWER,),
    "reply_template": (kinds.ESSAY,),
    "general_feedback": tuple(k for k in kinds.KINDS if k not in kinds.UNSCORED),
}


def kinds_using_block(block_type: str) -> tuple[str, ...]:
    """The kinds whose answers are written with `block_type` blocks."""
    if block_type in OPTIONAL_ANSWER_BLOCKS:
        return OPTIONAL_ANSWER_BLOCKS[block_type]
    return tuple(k for k, b in ANSWER_BLOCK_BY_KIND.items() if b == block_type)


def answer_blocks_of(kind: str) -> tuple[str, ...]:
    """Every answer block type a question of `kind` is written with."""
    own = (ANSWER_BLOCK_BY_KIND[kind],) if kind in ANSWER_BLOCK_BY_KIND else ()
    return own + tuple(b for b, used_by in OPTIONAL_ANSWER_BLOCKS.items() if kind in used_by)


def field_used_by(field: str, kind: str) -> bool:
    """Whether a question of `kind` uses the kind-only `field` (every other field: always)."""
    return kind in KIND_ONLY_FIELDS.get(field, (kind,))


def _plain(html: str) -> str:
    return BeautifulSoup(html or "", "html.parser").get_text(" ", strip=True)


def _percent(fraction: float) -> int:
    return round(fraction * 100)


def question_to_spec(question) -> dict:
    """The spec of a question as it stands now (not yet saved as a version)."""
    kind = question.kind
    blocks = [(b.block_type, b.value, b.id) for b in question.answers]
    spec: dict = {
        "kind": kind,
        "text": expand_db_html(question.text or ""),
        "general_feedback": expand_db_html(question.general_feedback or ""),
    }

    def of(block_type):
        return [(value, block_id) for kind_, value, block_id in blocks if kind_ == block_type]

    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        spec["choices"] = [
            {
                "id": block_id,
                "text": escape(v["text"]),
                "fraction": v["percent"] / 100,
                "feedback": escape(v["feedback"] or ""),
            }
            for v, block_id in of("choice")
        ]
    elif kind == kinds.TRUE_FALSE:
        answers = of("true_false")
        if answers:
            v = answers[0][0]
            spec["answer"] = v["answer"] == "true"
            spec["feedback_true"] = escape(v["feedback_true"] or "")
            spec["feedback_false"] = escape(v["feedback_false"] or "")
    elif kind == kinds.ORDERING:
        spec["items"] = [{"id": i, "text": escape(v["text"])} for v, i in of("step")]
    elif kind == kinds.MATCHING:
        spec["pairs"] = [
            {"id": i, "prompt": escape(v["prompt"] or ""), "answer": v["answer"]}
            for v, i in of("pair")
        ]
    elif kind == kinds.SHORT_ANSWER:
        spec["answers"] = [
            {
                "text": v["text"],
                "fraction": v["percent"] / 100,
                "feedback": escape(v["feedback"] or ""),
            }
            for v, _i in of("accepted_answer")
        ]
        spec["case_sensitive"] = bool(question.case_sensitive)
    elif kind == kinds.NUMERIC:
        spec["answers"] = [
            {
                "value": v["value"],
                "tolerance": v["tolerance"] or 0,
                "fraction": v["percent"] / 100,
                "feedback": escape(v["feedback"] or ""),
            }
            for v, _i in of("number")
        ]
    elif kind == kinds.ESSAY:
        spec["rubric"] = [
            {"criterion": v["criterion"], "points": v["points"]} for v, _i in of("criterion")
        ]
        if question.reply_template:
            spec["reply_template"] = question.reply_template
        for v, _i in of("reply_length")[:1]:
            wanted = {"min": v["min_chars"], "max": v["max_chars"]}
            wanted = {k: n for k, n in wanted.items() if n is not None}
            if wanted:
                spec["reply_length"] = wanted
    return spec


def spec_to_fields(spec: dict) -> dict:
    """Model field values (kind, text, feedback, answer blocks) that reproduce `spec`."""
    kind = spec["kind"]
    answers: list[dict] = []

    def block(block_type: str, value: dict, block_id: str | None = None) -> None:
        answers.append({"type": block_type, "value": value, "id": block_id or str(uuid.uuid4())})

    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        for c in spec["choices"]:
            block(
                "choice",
                {
                    "text": _plain(c["text"]),
                    "percent": _percent(c["fraction"]),
                    "feedback": _plain(c.get("feedback", "")),
                },
                c.get("id"),
            )
    elif kind == kinds.TRUE_FALSE:
        block(
            "true_false",
            {
                "answer": "true" if spec["answer"] else "false",
                "feedback_true": _plain(spec.get("feedback_true", "")),
                "feedback_false": _plain(spec.get("feedback_false", "")),
            },
        )
    elif kind == kinds.ORDERING:
        for item in spec["items"]:
            block("step", {"text": _plain(item["text"])}, item.get("id"))
    elif kind == kinds.MATCHING:
        for pair in spec["pairs"]:
            block(
                "pair",
                {"prompt": _plain(pair.get("prompt", "")), "answer": pair["answer"]},
                pair.get("id"),
            )
    elif kind == kinds.SHORT_ANSWER:
        for a in spec["answers"]:
            block(
                "accepted_answer",
                {
                    "text": a["text"],
                    "percent": _percent(a["fraction"]),
                    "feedback": _plain(a.get("feedback", "")),
                },
            )
    elif kind == kinds.NUMERIC:
        for a in spec["answers"]:
            block(
                "number",
                {
                    "value": a["value"],
                    "tolerance": a.get("tolerance", 0),
                    "percent": _percent(a["fraction"]),
                    "feedback": _plain(a.get("feedback", "")),
                },
            )
    elif kind == kinds.ESSAY:
        for c in spec.get("rubric", []):
            block("criterion", {"criterion": c["criterion"], "points": c["points"]})
        if spec.get("reply_length"):
            shortest, longest = kinds.reply_length(spec)
            block("reply_length", {"min_chars": shortest, "max_chars": longest})
    return {
        "kind": kind,
        "text": spec.get("text", ""),
        "general_feedback": spec.get("general_feedback", ""),
        "case_sensitive": bool(spec.get("case_sensitive")),
        "reply_template": spec.get("reply_template", "") if kind == kinds.ESSAY else "",
        "answers": answers,
    }
