"""What a learner's lesson search reads and shows. Pure Python: no database, no request.

A lesson is found by its title, its summary and the text of its blocks — paragraphs,
headings, phrase cards (the situation, what to say, what never to say, why), do-and-don't
rows, procedure steps, callouts, captions. That text is kept beside the lesson, one passage
per line (`lesson_search_text`, stored in `LessonPage.search_text` whenever the page is
saved), because a StreamField's JSON is no text to search: SQLite keeps Chinese in it as
`\\uXXXX` escapes. The matching, ranking and excerpt rules are `academy.search_text`'s.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from academy.search_text import ELLIPSIS, EXCERPT_WIDTH, Segment, excerpt, marked, rank

# Keys of block values that hold no words a learner reads (ids, choices, links, files).
_NOT_TEXT = frozenset({"id", "type", "kind", "url", "file", "image", "poster"})
_LINE_BREAKS = re.compile(r"<\s*(?:br|/p|/li|/h\d|/blockquote)\s*/?>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _plain(text: str) -> list[str]:
    """Rich text (or plain) as its lines of text, without markup."""
    text = html.unescape(_TAGS.sub("", _LINE_BREAKS.sub("\n", text)))
    return [line for line in (_SPACES.sub(" ", part).strip() for part in text.split("\n")) if line]


def _texts(value) -> Iterable[str]:
    """Every piece of text in a block's raw value, in reading order."""
    if isinstance(value, str):
        yield from _plain(value)
    elif isinstance(value, dict):
        if value.get("type") == "item" and "value" in value:  # a ListBlock item
            yield from _texts(value["value"])
            return
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def lesson_search_text(summary: str, body: Sequence[dict]) -> str:
    """The searchable text of a lesson: its summary and every block's text, one passage per
    line. `body` is the StreamField's raw data (`[{"type": ..., "value": ...}, ...]`)."""
    lines = _plain(summary or "")
    for block in body or ():
        if isinstance(block, dict):
            lines += _texts(block.get("value"))
    return "\n".join(lines)


@dataclass(frozen=True)
class LessonCandidate:
    """A lesson the database found holding every term."""

    title: str
    summary: str
    search_text: str
    url: str
    module_title: str


@dataclass(frozen=True)
class LessonHit:
    """One search result as the learner sees it: the title and a passage, hits marked."""

    title: tuple[Segment, ...]
    excerpt: tuple[Segment, ...]
    url: str
    module_title: str


def _opening(candidate: LessonCandidate, found: Sequence[str]) -> list[Segment]:
    """What shows a lesson whose text holds no term (only its title does): the summary, or
    else the beginning of its first passage."""
    first = candidate.summary or candidate.search_text.split("\n", 1)[0]
    if len(first) > EXCERPT_WIDTH:
        return [*marked(first[:EXCERPT_WIDTH], found), Segment(ELLIPSIS)]
    return marked(first, found)


def lesson_hits(
    candidates: Iterable[LessonCandidate], found: Sequence[str], *, limit: int
) -> list[LessonHit]:
    """The best `limit` candidates, best first (`academy.search_text.rank`), each with the
    passage that holds the most terms (or its opening, when only the title matched)."""
    ordered = sorted(candidates, key=lambda c: rank(c.title, c.search_text, found))
    hits = []
    for candidate in ordered[:limit]:
        passage = excerpt(candidate.search_text, found) or _opening(candidate, found)
        hits.append(
            LessonHit(
                title=tuple(marked(candidate.title, found)),
                excerpt=tuple(passage),
                url=candidate.url,
                module_title=candidate.module_title,
            )
        )
    return hits
