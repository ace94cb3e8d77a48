"""Which practice cards a piece of content makes, and what each card's two faces say.
Pure Python (no Django models), tested without a database.

A lesson's body is a StreamField; its raw data is a list of blocks `{type, value, id}`. Four
block types make cards, unless a trainer unticked "in practice" on the block:

- `phrase_card`: the situation → the standard phrase(s) (one card), and each forbidden
  phrase → what to say instead (one card each);
- `do_dont`: each row that has a "don't" → the "do" (one card per row);
- `procedure`: the procedure's title, its steps shuffled → the steps in order (one card:
  what comes first is what must be recalled in an emergency).

Quiz questions make one card each (`question_faces`): the question → its right answer.

A card's key is stable across edits (the block's id plus the part), so editing a phrase keeps
each learner's schedule for it; a block that disappears retires its cards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PHRASE = "phrase"
FORBIDDEN = "forbidden"
DO_DONT = "do_dont"
PROCEDURE = "procedure"
QUESTION = "question"
KINDS = (PHRASE, FORBIDDEN, DO_DONT, PROCEDURE, QUESTION)

PRACTICE_BLOCKS = ("phrase_card", "do_dont", "procedure")


@dataclass(frozen=True)
class CardDraft:
    """One card as content defines it: `key` identifies it, `order` sorts new cards in the
    order the course teaches them, `content` holds both faces (see `faces`)."""

    key: str
    kind: str
    order: str
    content: dict = field(hash=False)


def lesson_key(lesson_id: int, block_id: str, part: str) -> str:
    return f"lesson:{lesson_id}:{block_id}:{part}"


def question_key(question_id: int) -> str:
    return f"question:{question_id}"


def in_practice(value: dict) -> bool:
    """Blocks saved before the switch existed have no value for it: they are in."""
    return value.get("in_practice", True) is not False


def lesson_cards(lesson_id: int, lesson_order: str, lesson_title: str, body) -> list[CardDraft]:
    """The cards a lesson's body makes. `body` is the StreamField's raw data; `lesson_order`
    sorts the lesson among the others (its page path)."""
    drafts: list[CardDraft] = []
    for position, block in enumerate(body or []):
        kind, value, block_id = block.get("type"), block.get("value") or {}, block.get("id")
        if kind not in PRACTICE_BLOCKS or not block_id or not in_practice(value):
            continue
        make = _MAKERS[kind]
        for n, (part, card_kind, content) in enumerate(make(value)):
            drafts.append(
                CardDraft(
                    key=lesson_key(lesson_id, block_id, part),
                    kind=card_kind,
                    order=f"1:{lesson_order}:{position:04d}:{n:03d}",
                    content={"lesson": lesson_title, **content},
                )
            )
    return drafts


def _texts(items) -> list[str]:
    """A ListBlock's raw value: plain strings, or `{type: item, value, id}` dicts."""
    texts = []
    for item in items or []:
        text = item.get("value") if isinstance(item, dict) else item
        if isinstance(text, str) and text.strip():
            texts.append(text.strip())
    return texts


def _rows(items) -> list[dict]:
    return [item.get("value", item) if isinstance(item, dict) else {} for item in items or []]


def _phrase_cards(value: dict):
    say = _texts(value.get("say"))
    situation = (value.get("situation") or "").strip()
    if not say or not situation:
        return
    why = (value.get("why") or "").strip()
    yield "say", PHRASE, {"situation": situation, "say": say, "why": why}
    for n, never in enumerate(_texts(value.get("never_say"))):
        yield f"never:{n}", FORBIDDEN, {"situation": situation, "never": never, "say": say}


def _do_dont_cards(value: dict):
    title = (value.get("title") or "").strip()
    for n, row in enumerate(_rows(value.get("rows"))):
        do, dont = (row.get("do") or "").strip(), (row.get("dont") or "").strip()
        if do and dont:
            yield f"row:{n}", DO_DONT, {"title": title, "dont": dont, "do": do}


def _procedure_cards(value: dict):
    steps = [
        {"text": (row.get("text") or "").strip(), "time_limit": (row.get("time_limit") or "")}
        for row in _rows(value.get("steps"))
        if (row.get("text") or "").strip()
    ]
    if len(steps) >= 2:
        yield "steps", PROCEDURE, {"title": (value.get("title") or "").strip(), "steps": steps}


_MAKERS = {"phrase_card": _phrase_cards, "do_dont": _do_dont_cards, "procedure": _procedure_cards}


def shuffled_steps(key: str, steps: list[dict]) -> list[str]:
    """The steps in an order that is not the right one (the same for a card every time, so
    the front does not change between visits)."""
    texts = [s["text"] for s in steps]
    order = texts[:]
    rng = random.Random(key)  # noqa: S311 - a stable order, nothing secret
    for _ in range(5):
        rng.shuffle(order)
        if order != texts:
            break
    return order


# --- questions ------------------------------------------------------------------------------

# Kinds with one right answer a card can show. Essays are graded by a trainer against a rubric
# and descriptions ask nothing: neither makes a card.
QUESTION_KINDS = (
    "single",
    "multiple",
    "truefalse",
    "ordering",
    "matching",
    "shortanswer",
    "numeric",
)


def question_faces(spec: dict, to_plain) -> dict | None:
    """A question's card: `{question, options, answer, explanation}` in plain text
    (`to_plain` turns the spec's HTML into text), or None when the kind has no single right
    answer to recall."""
    kind = spec.get("kind")
    if kind not in QUESTION_KINDS:
        return None
    options: list[str] = []
    if kind in ("single", "multiple"):
        options = [to_plain(c["text"]) for c in spec.get("choices", [])]
        answer = "；".join(to_plain(c["text"]) for c in spec["choices"] if c["fraction"] > 0)
    elif kind == "truefalse":
        answer = "对" if spec.get("answer") else "错"
    elif kind == "ordering":
        answer = " → ".join(to_plain(i["text"]) for i in spec.get("items", []))
    elif kind == "matching":
        answer = "；".join(
            f"{to_plain(p['prompt'])} → {p['answer']}" for p in spec.get("pairs", []) if p["prompt"]
        )
    else:
        best = max(spec.get("answers") or [{}], key=lambda a: a.get("fraction", 0))
        if kind == "numeric" and best.get("tolerance"):
            answer = f"{best.get('value', 0):g} ± {best['tolerance']:g}"
        elif kind == "numeric":
            answer = f"{best.get('value', 0):g}"
        else:
            answer = best.get("text", "")
    if not answer:
        return None
    return {
        "question": to_plain(spec.get("text", "")),
        "options": options,
        "answer": answer,
        "explanation": to_plain(spec.get("general_feedback", "")),
    }
