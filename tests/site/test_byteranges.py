"""Range requests and how a served file presents itself, as plain Python:
`academy.byteranges` (which bytes) and `academy.media_types` (type, shown or saved)."""

import pytest
from academy.byteranges import UNSATISFIABLE, ByteRange, if_range_holds, requested_range
from academy.media_types import content_disposition, content_type_for, shown_inline

SIZE = 1000


@pytest.mark.parametrize(
    "header, expected",
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=0-1", ByteRange(0, 1)),  # iOS Safari's first question
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=0-", ByteRange(0, 999)),  # what Chrome asks for first
        ("bytes=900-5000", ByteRange(900, 999)),  # the end is cut to the file
        ("bytes=999-999", ByteRange(999, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),  # a suffix longer than the file: all of it
        ("BYTES = 10-19 ", ByteRange(10, 19)),  # the unit in any case, optional spaces
    ],
)
def test_one_range_is_served(header, expected):
    assert requested_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header", ["bytes=1000-", "bytes=1000-1001", "bytes=5000-6000", "bytes=-0"]
)
def test_a_range_past_the_end_is_unsatisfiable(header):
    assert requested_range(header, SIZE) is UNSATISFIABLE
    assert UNSATISFIABLE.content_range(SIZE) == "bytes */1000"


def test_an_empty_file_satisfies_no_range():
    assert requested_range("bytes=0-", 0) is UNSATISFIABLE
    assert requested_range("bytes=-10", 0) is UNSATISFIABLE
    assert requested_range(None, 0) is None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "bytes=",
        "bytes=-",
        "bytes=5-3",  # last before first: invalid, ignored
        "bytes=a-b",
        "bytes=+1-2",
        "bytes=1 0-20",
        "items=0-9",
        "bytes 0-9",
        "bytes=0-9,20-29",  # several ranges: the whole file (no multipart answers)
        "bytes=0-9, -5",
        "bytes=" + "9" * 300 + "-",  # absurdly long
    ],
)
def test_anything_else_gets_the_whole_file(header):
    assert requested_range(header, SIZE) is None


def test_an_open_ended_range_gets_one_part_at_a_time():
    assert requested_range("bytes=0-", SIZE, open_ended_part=300) == ByteRange(0, 299)
    assert requested_range("bytes=800-", SIZE, open_ended_part=300) == ByteRange(800, 999)
    # Both ends given, or a suffix: as asked.
    assert requested_range("bytes=0-899", SIZE, open_ended_part=300) == ByteRange(0, 899)
    assert requested_range("bytes=-900", SIZE, open_ended_part=300) == ByteRange(100, 999)
    big = 200 * 1024 * 1024  # a long lesson video: 8 MiB per answer
    assert requested_range("bytes=0-", big) == ByteRange(0, 8 * 1024 * 1024 - 1)


def test_lengths_and_content_range():
    part = requested_range("bytes=100-199", SIZE)
    assert part.length == 100
    assert part.content_range(SIZE) == "bytes 100-199/1000"
    assert requested_range("bytes=-1", SIZE).content_range(SIZE) == "bytes 999-999/1000"


MODIFIED = 1_780_000_000  # Sat, 28 May 2026 ...


def test_if_range_with_an_entity_tag_needs_ours_strongly():
    assert if_range_holds(None, etag='"abc"', last_modified=MODIFIED)
    assert if_range_holds('"abc"', etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds('"old"', etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds('W/"abc"', etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds('"abc"', etag='W/"abc"', last_modified=MODIFIED)
    assert not if_range_holds('"abc"', etag=None, last_modified=MODIFIED)


def test_if_range_with_a_date_needs_exactly_our_last_modified():
    from django.utils.http import http_date

    assert if_range_holds(http_date(MODIFIED), etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds(http_date(MODIFIED - 1), etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds(http_date(MODIFIED + 60), etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds("yesterday", etag='"abc"', last_modified=MODIFIED)
    assert not if_range_holds(http_date(MODIFIED), etag='"abc"', last_modified=None)


@pytest.mark.parametrize(
    "name, content_type, inline",
    [
        ("接听电话示范.mp4", "video/mp4", True),
        ("demo.M4V", "video/mp4", True),
        ("demo.webm", "video/webm", True),
        ("greeting.mp3", "audio/mpeg", True),
        ("greeting.m4a", "audio/mp4", True),
        ("handout.pdf", "application/pdf", True),
        ("desk.max-1200x900.png", "image/png", True),
        ("photo.JPG", "image/jpeg", True),
        ("logo.svg", "image/svg+xml", False),  # can carry scripts
        ("notes.txt", "text/plain", False),  # any encoding: saved, not shown garbled
        ("roster.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
        ("export.csv.gz", "application/octet-stream", False),
        ("no-extension", "application/octet-stream", False),
    ],
)
def test_type_and_whether_it_is_shown(name, content_type, inline):
    assert content_type_for(name) == content_type
    assert shown_inline(content_type) is inline


def test_the_file_name_travels_as_ascii_and_exactly():
    assert content_disposition("demo.mp4", inline=True) == (
        "inline; filename=\"demo.mp4\"; filename*=UTF-8''demo.mp4"
    )
    assert content_disposition("接听 电话.mp4", inline=True) == (
        'inline; filename="__ __.mp4"; '
        "filename*=UTF-8''%E6%8E%A5%E5%90%AC%20%E7%94%B5%E8%AF%9D.mp4"
    )
    header = content_disposition('a"b\\c;d.docx', inline=False)
    assert header.startswith('attachment; filename="a_b_c;d.docx"; ')
    assert header.endswith("filename*=UTF-8''a%22b%5Cc%3Bd.docx")
