"""Which questions an attempt gets, in which order, with options in which order. Pure Python."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import spec as kinds


@dataclass(frozen=True)
class SlotPlan:
    """A quiz slot: a fixed question id, or `count` questions from a category's candidates."""

    mark: float
    question_id: int | None = None
    candidates: Sequence[int] = ()
    count: int = 1


@dataclass(frozen=True)
class Drawn:
    question_id: int
    mark: float


class NotEnoughQuestions(ValueError):
    pass


def draw_questions(
    slots: Iterable[SlotPlan], *, seen: set[int], shuffle: bool, rng: random.Random
) -> list[Drawn]:
    """Fill every slot. Random slots never repeat a question already in the attempt and take
    questions this learner has not seen in earlier attempts first, so a retake tests more of
    the bank instead of the same questions again."""
    slots = list(slots)
    taken = {s.question_id for s in slots if s.question_id is not None}
    drawn: list[Drawn] = []
    for slot in slots:
        if slot.question_id is not None:
            drawn.append(Drawn(slot.question_id, slot.mark))
            continue
        pool = [q for q in slot.candidates if q not in taken]
        fresh = [q for q in pool if q not in seen]
        again = [q for q in pool if q in seen]
        rng.shuffle(fresh)
        rng.shuffle(again)
        chosen = (fresh + again)[: slot.count]
        if len(chosen) < slot.count:
            raise NotEnoughQuestions(len(pool), slot.count)
        taken.update(chosen)
        drawn.extend(Drawn(q, slot.mark) for q in chosen)
    if shuffle:
        rng.shuffle(drawn)
    return drawn


def option_order(spec: dict, *, shuffle: bool, rng: random.Random) -> list[str]:
    """The order this learner sees the options (choices, steps, matching answers) in.

    Ordering steps are always shuffled and never shown already in the right order: that
    would give the answer away.
    """
    kind = spec["kind"]
    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        ids = [c["id"] for c in spec["choices"]]
        if shuffle:
            rng.shuffle(ids)
        return ids
    if kind == kinds.ORDERING:
        ids = [i["id"] for i in spec["items"]]
        right = list(ids)
        while len(ids) > 1 and ids == right:
            rng.shuffle(ids)
        return ids
    if kind == kinds.MATCHING:
        from .grading import matching_answer_options

        ids = [o["id"] for o in matching_answer_options(spec)]
        rng.shuffle(ids)  # in authoring order the answers would line up with the prompts
        return ids
    return []


@dataclass(frozen=True)
class SlotCheck:
    """What `slot_problems` needs of a quiz slot: its fixed question (archived or not), or
    its category, how many it draws and how many drawable questions the category holds
    (not archived, saved at least once)."""

    question_id: int | None = None
    question_archived: bool = False
    category_id: int | None = None
    count: int = 1
    available: int = 0


def slot_problems(slots: Sequence[SlotCheck]) -> list[str]:
    """What keeps a quiz from working as its author meant, in a trainer's words: no
    questions at all; random slots drawing more from a category than it holds (their
    counts added, since one attempt never repeats a question: learners could not start);
    a fixed question that was archived (withdrawn from the bank, yet still asked)."""
    from django.utils.translation import gettext as _

    if not slots:
        return [_("The quiz has no questions.")]
    problems = []
    wanted: dict[int, int] = {}
    available: dict[int, int] = {}
    for slot in slots:
        if slot.category_id is not None:
            wanted[slot.category_id] = wanted.get(slot.category_id, 0) + slot.count
            available[slot.category_id] = slot.available
    for category_id, count in wanted.items():
        if count > available[category_id]:
            problems.append(
                _("Draws %(wanted)d questions from a category that holds %(available)d.")
                % {"wanted": count, "available": available[category_id]}
            )
    archived = sum(1 for s in slots if s.question_id is not None and s.question_archived)
    if archived:
        problems.append(_("%(n)d fixed question(s) archived.") % {"n": archived})
    return problems
