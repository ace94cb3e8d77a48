"""CSV and XLSX of the dashboard's rows: streamed, so memory stays flat however many staff.

CSV is UTF-8 with a byte-order mark, which Excel needs to read Chinese; XLSX is written by
openpyxl's write-only workbook (rows go to a temporary file, not memory)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .forms import STATUS_LABELS
from .status import is_overdue

CHUNK = 2000


def header() -> list[str]:
    return [_("Employee number"), pgettext("person", "Name"), _("Site"), _("Team"),
            _("Position"), _("Program"), _("Status"), _("Requirements met"),
            _("Serial number"), _("Issued"), _("Valid until"), _("Due"), _("Overdue"),
            _("Verification link")]


def _verify_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify_certificate", args=[code])


def table(rows, program, today) -> Iterator[list]:
    yield header()
    total = program.requirements.count()
    for person in rows.iterator(chunk_size=CHUNK):
        yield [
            person.employee_number, person.name, person.site.name,
            person.team.name if person.team_id else "", person.get_position_display(),
            program.name, str(STATUS_LABELS[person.status]),
            f"{person.requirements_met}/{total}",
            person.certificate_serial or "", person.certificate_issued or "",
            person.certificate_expires or "", person.due_on or "",
            _("yes") if is_overdue(status=person.status, due_on=person.due_on, today=today)
            else "",
            _verify_url(person.certificate_code) if person.certificate_code else "",
        ]


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
            yield writer.writerow([str(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(program, today, "csv")}"')
    return response


def xlsx_response(rows, program, today, request) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=program.name[:31])
    for row in table(rows, program, today):
        sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=_filename(program, today, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")
