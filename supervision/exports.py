"""CSV and XLSX of the dashboard's rows: streamed, so memory stays flat however many staff.

CSV is UTF-8 with a byte-order mark, which Excel needs to read Chinese; XLSX is written by
`xlsx.stream_sheets` as it is sent (rows in, ZIP pieces out; nothing kept on disk or in
memory), one sheet per program when several programs are exported.

Every label (headers, positions, statuses, "yes") is in the language of the request that
asked for the file: a streamed body is written after the view has returned, by whichever
thread the server iterates it in, so each piece is worked out under the language the
response was made in (`_in_language`), not whatever happens to be active then.

Names, teams, sites and programs are typed by people, so no cell may become a formula when
the file is opened (a roster name `=HYPERLINK(…)` would otherwise be a live link): XLSX
text is written as inline strings, which are never evaluated, and CSV values that a
spreadsheet would read as a formula get a leading apostrophe, as OWASP's CSV-injection
guidance says.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certification.selectors import verification_url
from practice.selectors import practice_by_user
from staff.models import Position

from . import xlsx
from .forms import STATUS_LABELS
from .status import is_overdue

CHUNK = 2000


def header() -> list[str]:
    return [
        _("Employee number"),
        pgettext("person", "Name"),
        _("Site"),
        _("Team"),
        _("Position"),
        _("Program"),
        _("Status"),
        _("Requirements met"),
        _("Serial number"),
        _("Issued"),
        _("Valid until"),
        _("Due"),
        _("Overdue"),
        _("Verification link"),
        _("Days practised (last 7 days)"),
        _("Last practised"),
    ]


def _with_practice(rows: Iterable[tuple], today) -> Iterator[tuple]:
    """Each row (its last value the person's user id) with their practice in the last week
    (`practice.selectors.practice_by_user`), read for `CHUNK` rows at a time: one query per
    chunk, and memory flat however many people are exported."""
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        figures = practice_by_user([row[-1] for row in chunk], today)
        for row in chunk:
            yield (*row[:-1], figures[row[-1]])


def table(rows, program, today) -> Iterator[list]:
    """The header, then one row per person: read as tuples, labels worked out once per
    export (per row, model instances and label look-ups cost more than writing the row)."""
    yield header()
    total = program.requirements.count()
    positions = {value: str(label) for value, label in Position.choices}
    statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
    yes = _("yes")
    verify_prefix = verification_url("CODE").removesuffix("CODE/")
    for (
        number,
        name,
        site,
        team,
        position,
        status,
        met,
        serial,
        issued,
        expires,
        due,
        code,
        practice,
    ) in _with_practice(
        rows.values_list(
            "employee_number",
            "name",
            "site__name",
            "team__name",
            "position",
            "status",
            "requirements_met",
            "certificate_serial",
            "certificate_issued",
            "certificate_expires",
            "due_on",
            "certificate_code",
            "user_id",
        ).iterator(chunk_size=CHUNK),
        today,
    ):
        yield [
            number,
            name,
            site,
            team or "",
            positions.get(position, position),
            program.name,
            statuses[status],
            f"{met}/{total}",
            serial or "",
            issued or "",
            expires or "",
            due or "",
            yes if is_overdue(status=status, due_on=due, today=today) else "",
            f"{verify_prefix}{code}/" if code else "",
            practice.days_last_7,
            practice.last_practised or "",
        ]


# A spreadsheet reads a CSV value starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """The value as CSV text that no spreadsheet evaluates."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value):
        return value


def _filename(program, today, extension: str) -> str:
    return f"{program.code}-{today.isoformat()}.{extension}"


def _in_language(language: str, pieces: Iterable) -> Iterator:
    """The pieces of a streamed body, each worked out in `language` (the previous language
    is back while the server writes a piece)."""
    pieces = iter(pieces)
    while True:
        with translation.override(language):
            piece = next(pieces, None)
        if piece is None:
            return
        yield piece


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows, program, today) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 only with the mark
        for row in table(rows, program, today):
            yield writer.writerow([csv_text(value) for value in row])

    response = StreamingHttpResponse(
        _in_language(translation.get_language(), lines()),
        content_type="text/csv; charset=utf-8",
    )
    return _attachment(response, _filename(program, today, "csv"))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(programs_rows, today) -> StreamingHttpResponse:
    """`programs_rows`: (program, its rows) for each program to export, one sheet each, named
    after the program (`xlsx.sheet_names` makes the names valid and unique)."""
    sheets = [
        xlsx.Sheet(program.name, table(rows, program, today)) for program, rows in programs_rows
    ]
    response = StreamingHttpResponse(
        _in_language(translation.get_language(), xlsx.stream_sheets(sheets)),
        content_type=XLSX_TYPE,
    )
    if len(programs_rows) == 1:
        filename = _filename(programs_rows[0][0], today, "xlsx")
    else:
        filename = f"programs-{today.isoformat()}.xlsx"
    return _attachment(response, filename)
