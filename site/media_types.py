"""What a served file says it is, and whether the browser shows it or saves it. Pure Python.

- The type comes from the file name's extension: our table for lesson media first (the
  system's `mimetypes` differ from one machine to the next; a video sent as
  `application/octet-stream` does not play on an iPhone), then `mimetypes`, then
  `application/octet-stream`.
- Lesson media — video, audio, images, PDF — is shown in the page or the browser
  (`Content-Disposition: inline`): a `<video>` must be able to play it, and WeChat's and
  WeCom's in-app browsers cannot save downloads at all. SVG is not among them (a picture that
  can carry scripts), nor text (an uploaded text file may be in any encoding): those, and
  office files the browser cannot show anyway, are downloads (`attachment`).
- The file name travels twice (RFC 6266): as ASCII in `filename` for old clients (each other
  character, quotes and backslashes as `_`), and exactly in `filename*` (RFC 5987,
  UTF-8, percent-encoded), which every current browser uses — so a Chinese file name stays
  Chinese when saved.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePosixPath
from urllib.parse import quote

TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".oga": "audio/ogg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
INLINE_TYPES = ("video/", "audio/", "image/", "application/pdf")
NOT_INLINE = {"image/svg+xml"}
# RFC 5987's attr-char beyond letters and digits: everything else is percent-encoded.
_ATTR_CHAR_SAFE = "!#$&+-.^_`|~"
_NOT_PLAIN_ASCII = re.compile(r'[^\x20-\x7e]|["\\]')


def content_type_for(filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(filename)
    # `handout.csv.gz` is no CSV to a browser that is not told it is compressed: bytes.
    return guessed if guessed and not encoding else "application/octet-stream"


def shown_inline(content_type: str) -> bool:
    return content_type not in NOT_INLINE and content_type.startswith(INLINE_TYPES)


def content_disposition(filename: str, *, inline: bool) -> str:
    """The Content-Disposition header for `filename`, shown or saved."""
    kind = "inline" if inline else "attachment"
    fallback = _NOT_PLAIN_ASCII.sub("_", filename)
    return (
        f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe=_ATTR_CHAR_SAFE)}"
    )
