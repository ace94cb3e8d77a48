"""The emergency cards: what the `/emergency/` page shows of the emergency modules' lessons.

Pure: raw StreamField data in, dataclasses out; no database, no request.

The rule:
- one card per `procedure` block of a lesson, in the lesson's order: its title and its
  numbered steps, each with its time limit when it has one;
- with them, the lesson's phrase cards (situation, what to say, what never to say): what to
  say on the phone in that emergency;
- grouped by lesson, lessons in course order; a lesson without a procedure is left out (a
  lesson of phrase cards alone is no emergency card);
- cards are numbered through the page (`card-1`, `card-2`, …) for the jump list;
- the page is as new as the newest publication of the lessons it shows.

ListBlock items come two ways in raw data: plain values (as `seed_demo` writes them) and
`{"type": "item", "value": …, "id": …}` (as Wagtail's editor saves them); both are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    text: str
    time_limit: str = ""


@dataclass(frozen=True)
class ProcedureCard:
    number: int  # through the whole page: the anchor is card-<number>
    title: str
    steps: tuple[Step, ...]

    @property
    def anchor(self) -> str:
        return f"card-{self.number}"


@dataclass(frozen=True)
class PhraseCard:
    situation: str
    say: tuple[str, ...]
    never_say: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonSource:
    """A live lesson of an emergency module, as read from the database."""

    lesson_id: int
    title: str
    url: str
    body: list  # the StreamField's raw data
    published_at: dt.datetime | None = None


@dataclass(frozen=True)
class EmergencyLesson:
    lesson_id: int
    title: str
    url: str
    procedures: tuple[ProcedureCard, ...]
    phrases: tuple[PhraseCard, ...]
    published_at: dt.datetime | None = None

    @property
    def anchor(self) -> str:
        return f"lesson-{self.lesson_id}"


def _items(raw) -> list:
    """A ListBlock's raw value as plain item values."""
    values = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            item = item["value"]
        values.append(item)
    return values


def _text(value) -> str:
    return str(value or "").strip()


def _steps(raw) -> tuple[Step, ...]:
    steps = []
    for item in _items(raw):
        if isinstance(item, dict) and _text(item.get("text")):
            steps.append(Step(_text(item["text"]), _text(item.get("time_limit"))))
    return tuple(steps)


def _phrase(value: dict) -> PhraseCard | None:
    say = tuple(_text(line) for line in _items(value.get("say")) if _text(line))
    if not say:
        return None
    never = tuple(_text(line) for line in _items(value.get("never_say")) if _text(line))
    return PhraseCard(_text(value.get("situation")), say, never)


def emergency_lessons(sources: Iterable[LessonSource]) -> list[EmergencyLesson]:
    """The cards of `sources` (lessons in course order), grouped by lesson."""
    lessons = []
    number = 0
    for source in sources:
        procedures = []
        phrases = []
        for block in source.body or []:
            if not isinstance(block, dict) or not isinstance(block.get("value"), dict):
                continue
            value = block["value"]
            if block.get("type") == "procedure":
                steps = _steps(value.get("steps"))
                if steps:
                    number += 1
                    procedures.append(ProcedureCard(number, _text(value.get("title")), steps))
            elif block.get("type") == "phrase_card":
                phrase = _phrase(value)
                if phrase is not None:
                    phrases.append(phrase)
        if procedures:
            lessons.append(
                EmergencyLesson(
                    source.lesson_id,
                    source.title,
                    source.url,
                    tuple(procedures),
                    tuple(phrases),
                    source.published_at,
                )
            )
    return lessons


def updated_at(lessons: Iterable[EmergencyLesson]) -> dt.datetime | None:
    """The newest publication among the lessons shown (None: none has a publication time)."""
    return max((x.published_at for x in lessons if x.published_at is not None), default=None)
