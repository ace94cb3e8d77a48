"""CSV and XLSX of the dashboard's rows: streamed, so memory stays flat however many staff.

CSV is UTF-8 with a byte-order mark, which Excel needs to read Chinese; XLSX is written by
`xlsx.stream` as it is sent (rows in, ZIP pieces out; nothing kept on disk or in memory).

Names, teams, sites and programs are typed by people, so no cell may become a formula when
the file is opened (a roster name `=HYPERLINK(…)` would otherwise be a live link): XLSX
text is written as inline strings, which are never evaluated, and CSV values that a
spreadsheet would read as a formula get a leading apostrophe, as OWASP's CSV-injection
guidance says.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certification.selectors import verification_url
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
    ]


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
    ) in rows.values_list(
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
    ).iterator(chunk_size=CHUNK):
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


def csv_response(rows, program, today, request) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel reads UTF-8 only with the mark
        for row in table(rows, program, today):
            yield writer.writerow([csv_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(program, today, "csv")}"'
    return response


def xlsx_response(rows, program, today, request) -> StreamingHttpResponse:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    sheet_name = re.sub(r"[\[\]:*?/\\]", "_", program.name)[:31] or "-"
    response = StreamingHttpResponse(
        xlsx.stream(table(rows, program, today), sheet_name=sheet_name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(program, today, "xlsx")}"'
    return response
