"""Which bytes of a file a request asks for: HTTP range requests (RFC 9110 §14). Pure Python.

Phones need them. iOS Safari plays a video only from a server that answers its first
`Range: bytes=0-1` with 206 Partial Content, and every player — WeChat's and WeCom's in-app
browsers too — seeks by asking for the part it wants instead of the whole file.

The rules:

- One range, in bytes: `bytes=a-b` (a `b` past the end stops at the end), `bytes=a-` (from
  `a` to the end), `bytes=-n` (the last `n` bytes; the whole file when it is shorter).
  Positions count from 0 and `b` is included, so `bytes=0-99` is 100 bytes.
- A range that starts at or past the end of the file, and `bytes=-0`, cannot be satisfied:
  416 with `Content-Range: bytes */<size>`. An empty file satisfies no range.
- Anything else is ignored and the whole file is served (200), as RFC 9110 allows: another
  unit, a malformed header (`bytes=5-3`, `bytes=a-b`, signs, spaces inside numbers), and
  several ranges (`bytes=0-9,20-29`). Multipart answers (`multipart/byteranges`) are not
  supported: no media player asks for them, and the whole file is a correct answer.
- An open-ended range (`bytes=a-`, what players ask for) gets at most `OPEN_ENDED_PART`
  bytes (8 MiB), which RFC 9110 allows: the 206's Content-Range says what came, and the
  player asks for the next part when it needs it. Without that, a phone playing a 200 MB
  video holds one of gunicorn's sync workers for as long as it watches (and the worker
  is killed at gunicorn's 60 s timeout). A range with both ends is served as asked.
- `If-Range` (a download being resumed): the range counts only while the file is the one the
  client has part of — a strong entity tag equal to ours, or a date equal to our
  Last-Modified. Otherwise the whole file is served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

# `bytes=a-b`, `bytes=a-`, `bytes=-n`: digits only, the unit in any case, optional spaces
# around the `=` and the spec (RFC 9110's OWS).
_ONE_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)-(\d*)\s*", re.IGNORECASE)
# Longer than any real header: a client sending kilobytes of digits gets the whole file.
MAX_HEADER_LENGTH = 200
OPEN_ENDED_PART = 8 * 1024 * 1024


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start` to `end` of a file, both included."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


@dataclass(frozen=True)
class Unsatisfiable:
    """A range the file cannot give (416)."""

    @staticmethod
    def content_range(size: int) -> str:
        return f"bytes */{size}"


UNSATISFIABLE = Unsatisfiable()


def requested_range(
    header: str | None, size: int, *, open_ended_part: int = OPEN_ENDED_PART
) -> ByteRange | Unsatisfiable | None:
    """The part of a file of `size` bytes to answer a `Range` header with; None for the
    whole file (no header, or one this module ignores, see above)."""
    if not header or len(header) > MAX_HEADER_LENGTH:
        return None
    match = _ONE_RANGE.fullmatch(header)
    if match is None:  # another unit, several ranges, anything malformed
        return None
    first, last = match.groups()
    if not first and not last:  # `bytes=-`
        return None
    if not first:  # a suffix: the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else None
    if end is not None and end < start:
        return None  # invalid: ignored, not refused
    if start >= size:
        return UNSATISFIABLE
    if end is None:
        end = start + open_ended_part - 1
    return ByteRange(start, min(end, size - 1))


def if_range_holds(if_range: str | None, *, etag: str | None, last_modified: int | None) -> bool:
    """Whether a range request may be answered with a part of the file: always without an
    `If-Range` header; with one, only if it names the file as it is now — our entity tag
    (strong comparison: a weak tag never matches), or exactly our Last-Modified time
    (`last_modified` in whole seconds since the epoch)."""
    if if_range is None:
        return True
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return etag is not None and not etag.startswith("W/") and value == etag
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    if date is None or date.tzinfo is None or last_modified is None:
        return False
    return int(date.timestamp()) == last_modified
