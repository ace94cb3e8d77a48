"""How a typed search is read, and how a hit is ranked, cut out and marked. Pure Python.

Chinese is written without spaces, so full-text tokenizers (SQLite FTS5's unicode61,
PostgreSQL's parser) take a whole run of Chinese as one "word": "电话" never matches inside
"前台电话礼仪速查". Here a search is a substring search instead, the same on SQLite and
PostgreSQL (`bench/search_quality.py` measured it against the alternatives):

- **Terms**: the query is cut at spaces and punctuation (Chinese or Latin); every term must
  occur (AND), each in any of the searched fields (OR). Full-width letters and digits count as
  their half-width forms, and case is ignored (NFKC + casefold), so "ＷｉＦｉ" finds "wifi".
  At most `MAX_TERMS` terms of the first `academy.limits.SEARCH` characters.
- **Words typed together**: Chinese typed without spaces ("业主情绪激动") is also read as
  two-character words (`words_of`: "业主 情绪 激动"); the learner's lesson search finds a
  lesson holding the terms as typed *or* all those words, ranked by the words.
- **Rank** (`rank`): a title holding every term first, then a title holding the whole
  query at its start, then more terms in the title, then more occurrences in the text, then
  the shorter title (the closer match).
- **Excerpt** (`excerpt`): the passage (a line of the text: one paragraph, one phrase, one
  step) with the most distinct terms, cut to about `EXCERPT_WIDTH` characters around its
  first hit, with "…" where it was cut; `marked` splits any text into plain and hit
  segments, so a template can put the hits in `<mark>` and escape everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .limits import SEARCH

MAX_TERMS = 5
EXCERPT_WIDTH = 80
ELLIPSIS = "…"

# Spaces and punctuation of both scripts separate terms; "-" and "_" too, so "测验-1" is
# two terms and finds "测验 1" as well as "测验-1".
_SEPARATORS = re.compile(
    r"[\s\-_,.;:!?/\\|()\[\]{}<>\"'`~，。、；：！？（）【】《》「」『』“”‘’…—·]+"
)


def normalise(text: str) -> str:
    """Full-width letters and digits as half-width, case ignored (NFKC + casefold)."""
    return unicodedata.normalize("NFKC", text).casefold()


def terms(query: str | None) -> tuple[str, ...]:
    """The terms of a typed query, in the order typed, each once; () for nothing to find."""
    found: list[str] = []
    for part in _SEPARATORS.split(normalise((query or "")[:SEARCH])):
        if part and part not in found:
            found.append(part)
    return tuple(found[:MAX_TERMS])


_CJK_ONLY = re.compile(r"[\u3400-\u9fff]+")
GLUED_WORDS_FROM = 4  # characters of Chinese in one term, from which it may be words typed together


def words_of(found: Sequence[str]) -> tuple[str, ...]:
    """The terms with each long run of Chinese typed without spaces ("业主情绪激动") read as
    two-character words ("业主", "情绪", "激动"; an odd last character joins the word before):
    most Chinese words are two characters, and learners type several without spaces."""
    words: list[str] = []
    for term in found:
        if len(term) >= GLUED_WORDS_FROM and _CJK_ONLY.fullmatch(term):
            pieces = [term[i : i + 2] for i in range(0, len(term) - len(term) % 2, 2)]
            if len(term) % 2:
                pieces[-1] += term[-1]
            words += [piece for piece in pieces if piece not in words]
        elif term not in words:
            words.append(term)
    return tuple(words)


@dataclass(frozen=True)
class Segment:
    """A piece of text, and whether it is a hit."""

    text: str
    hit: bool = False


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` normalised character by character, and for each character of the result the
    index of the character of `text` it came from (NFKC or casefold may change lengths)."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for piece in normalise(char):
            chars.append(piece)
            offsets.append(index)
    return "".join(chars), offsets


def hit_spans(text: str, found: Iterable[str]) -> list[tuple[int, int]]:
    """Where the terms occur in `text`: sorted, merged (start, end) indexes of `text`."""
    normalised, offsets = _normalised_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in found:
        start = normalised.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = normalised.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked(text: str, found: Sequence[str]) -> list[Segment]:
    """`text` as plain and hit segments, in order."""
    segments: list[Segment] = []
    position = 0
    for start, end in hit_spans(text, found):
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], hit=True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def matches(text: str, found: Sequence[str]) -> bool:
    """Whether `text` holds every term."""
    normalised = normalise(text)
    return bool(found) and all(term in normalised for term in found)


def rank(title: str, text: str, found: Sequence[str]) -> tuple:
    """A sort key for a hit, best first (see the module's docstring)."""
    title_n, text_n = normalise(title), normalise(text)
    in_title = sum(term in title_n for term in found)
    whole = "".join(found)
    return (
        in_title != len(found),
        not title_n.startswith(whole),
        -in_title,
        -sum(text_n.count(term) for term in found),
        len(title),
    )


def excerpt(text: str, found: Sequence[str], width: int = EXCERPT_WIDTH) -> list[Segment]:
    """The best passage of `text` for the terms, cut around its first hit (see the module's
    docstring); [] when no passage holds any term."""
    # Normalised once for the whole text (neither NFKC nor casefold makes or removes a
    # "\n"), so only the chosen passage is normalised again, character by character.
    best_index, best_count = -1, 0
    for index, line in enumerate(normalise(text).split("\n")):
        count = sum(term in line for term in found)
        if count > best_count:
            best_index, best_count = index, count
    if not best_count:
        return []
    best = text.split("\n")[best_index].strip()
    spans = hit_spans(best, found)
    start = 0
    if len(best) > width:
        # Some context before the first hit, the rest after it.
        start = max(0, min(spans[0][0] - width // 4, len(best) - width))
    end = min(len(best), start + width)
    segments = marked(best[start:end], found)
    if start > 0:
        segments.insert(0, Segment(ELLIPSIS))
    if end < len(best):
        segments.append(Segment(ELLIPSIS))
    return segments
