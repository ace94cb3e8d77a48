"""Answering a request for a file on this machine's disk — lesson videos, images, documents —
the way phones' media players need: the whole file (200) or the part asked for (206), 416 for
a part the file does not have, 304 for a copy the browser already holds, and HEAD. Every
answer says `Accept-Ranges: bytes`, so a player knows it may seek.

The rules are in the pure modules `academy.byteranges` (which bytes) and
`academy.media_types` (the type, shown or saved). The file is streamed in blocks from an
open file, never read whole into memory; a part is the same open file, seeked to its start
and cut off after its length.

Only for media on local disk: with S3-compatible storage the browser fetches media from the
bucket with a signed URL, and the bucket answers range requests itself.
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import byteranges, media_types

BLOCK_SIZE = 64 * 1024  # what is read and sent at a time


class _Part:
    """An open file from its current position, ending after `length` bytes."""

    def __init__(self, file, length: int):
        self.file = file
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def serve_file(
    request,
    path: Path,
    *,
    filename: str | None = None,
    etag: str | None = None,
    cache_control: str = "private, max-age=3600",
) -> HttpResponseBase:
    """The file at `path` (which exists) as the request asks for it. `filename` is the name
    the browser saves it under (default: the file's own), `etag` a strong entity tag
    such as a content hash, quoted (default: from the file's modification time and size)."""
    stat = path.stat()
    size = stat.st_size
    last_modified = int(stat.st_mtime)
    etag = etag or f'"{stat.st_mtime_ns:x}-{size:x}"'
    name = filename or path.name
    content_type = media_types.content_type_for(name)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",
    }

    cached = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if cached is not None:  # 304 Not Modified, or 412 for a failed If-Match
        for header, value in headers.items():
            cached[header] = value
        return cached

    headers["Content-Disposition"] = media_types.content_disposition(
        name, inline=media_types.shown_inline(content_type)
    )
    wanted = None
    # RFC 9110 defines ranges for GET only: HEAD gets the whole file's headers.
    if request.method == "GET" and byteranges.if_range_holds(
        request.headers.get("If-Range"), etag=etag, last_modified=last_modified
    ):
        wanted = byteranges.requested_range(request.headers.get("Range"), size)

    if isinstance(wanted, byteranges.Unsatisfiable):
        response = HttpResponse(status=416, content_type="text/plain")
        response["Content-Range"] = wanted.content_range(size)
        headers.pop("Content-Disposition")
    elif request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
        response["Content-Length"] = str(size)
    elif wanted is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
    else:
        file = path.open("rb")
        file.seek(wanted.start)
        response = FileResponse(_Part(file, wanted.length), status=206, content_type=content_type)
        response["Content-Length"] = str(wanted.length)
        response["Content-Range"] = wanted.content_range(size)
    if isinstance(response, FileResponse):
        response.block_size = BLOCK_SIZE
    for header, value in headers.items():
        response[header] = value
    return response
