"""The supervisor's dashboard: statuses (the SQL rule agrees with the Python rule), scope,
filters, exports, the competency matrix, query counts that do not grow with the staff."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import Certificate
from certification.services import certificate_issue
from supervision import status as st
from supervision.models import Assignment, ProgramProgress
from supervision.selectors import program_rows
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)  # issuing hooks run on commit


def issue(person, program, *, days_ago=0, revoke=False):
    today = timezone.localdate()
    certificate = certificate_issue(
        user=person.user, program=program, today=today - timedelta(days=days_ago)
    )
    if revoke:
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    return certificate


def test_the_status_rule_in_python():
    today = date(2026, 11, 23)
    rule = st.program_status
    assert (
        rule(has_certificate=False, revoked=False, expires_on=None, started=False, today=today)
        == st.NOT_STARTED
    )
    assert (
        rule(has_certificate=False, revoked=False, expires_on=None, started=True, today=today)
        == st.IN_PROGRESS
    )
    assert (
        rule(
            has_certificate=True,
            revoked=False,
            expires_on=date(2027, 5, 1),
            started=True,
            today=today,
        )
        == st.CERTIFIED
    )
    assert (
        rule(
            has_certificate=True,
            revoked=False,
            expires_on=date(2026, 12, 23),
            started=True,
            today=today,
        )
        == st.EXPIRING
    )  # 30 days: still expiring
    assert (
        rule(has_certificate=True, revoked=False, expires_on=today, started=True, today=today)
        == st.EXPIRING
    )
    assert (
        rule(
            has_certificate=True,
            revoked=False,
            expires_on=date(2026, 11, 22),
            started=True,
            today=today,
        )
        == st.EXPIRED
    )
    assert (
        rule(
            has_certificate=True,
            revoked=True,
            expires_on=date(2027, 5, 1),
            started=True,
            today=today,
        )
        == st.REVOKED
    )
    assert (
        rule(has_certificate=True, revoked=False, expires_on=None, started=True, today=today)
        == st.CERTIFIED
    )
    assert st.is_overdue(status=st.IN_PROGRESS, due_on=date(2026, 11, 22), today=today)
    assert not st.is_overdue(status=st.EXPIRING, due_on=date(2026, 11, 22), today=today)
    assert st.compliance_rate(1, 3) == 33.3 and st.compliance_rate(0, 0) is None


def test_the_sql_status_agrees_with_the_python_rule(program, org):
    supervisor, mine, colleague, _other = org
    people = {"certified": mine, "expiring": colleague}
    for name in ("expired", "revoked", "in_progress", "not_started"):
        people[name] = StaffFactory(site=supervisor.site, team=supervisor.team)
    issue(mine, program, days_ago=10)
    issue(colleague, program, days_ago=350)
    issue(people["expired"], program, days_ago=400)
    issue(people["revoked"], program, days_ago=10, revoke=True)
    ProgramProgress.objects.create(
        user=people["in_progress"].user, program=program, requirements_total=1, started=True
    )
    from supervision.services import progress_update_for

    progress_update_for(people["revoked"].user)  # the revocation above bypassed services
    today = timezone.localdate()
    rows = {row.pk: row for row in program_rows(supervisor.user, program, today)}
    for expected, person in people.items():
        certificate = Certificate.objects.filter(user=person.user).order_by("-pk").first()
        python = st.program_status(
            has_certificate=certificate is not None,
            revoked=bool(certificate and certificate.revoked_at),
            expires_on=certificate.expires_on if certificate else None,
            started=ProgramProgress.objects.filter(user=person.user, started=True).exists(),
            today=today,
        )
        assert rows[person.pk].status == python == expected, expected


def test_a_supervisor_sees_counts_and_people_of_their_own_sites_only(client, program, org):
    supervisor, mine, colleague, other = org
    issue(mine, program)
    issue(other, program)
    client.force_login(supervisor.user)
    page = client.get("/supervision/").content.decode()
    assert "林晓雯" in page and "陈思琪" in page and "外场员工" not in page
    assert "已认证" in page and "合规率 33.3%" in page  # 1 of 3 visible people (self included)
    client.force_login(mine.user)  # a learner
    assert client.get("/supervision/").status_code == 404
    assert client.get("/supervision/export.csv").status_code == 404


def test_filters_search_sorting_and_bad_values(client, program, org):
    supervisor, mine, colleague, _other = org
    issue(mine, program)
    client.force_login(supervisor.user)
    page = client.get("/supervision/?status=certified").content.decode()
    assert "林晓雯" in page and "陈思琪" not in page
    page = client.get(f"/supervision/?q={colleague.employee_number}").content.decode()
    assert "陈思琪" in page and "林晓雯" not in page
    page = client.get("/supervision/?sort=-name").content.decode()
    assert page.index("陈思琪") < page.index("林晓雯")  # 陈 sorts after 林 by code point
    response = client.get("/supervision/?status=bogus&site=99999&sort=evil&page=abc")
    assert response.status_code == 200
    page = response.content.decode()
    assert "已忽略无效的筛选条件" in page and "林晓雯" in page and "陈思琪" in page


def test_overdue_assignments_show(client, program, org):
    supervisor, mine, colleague, _other = org
    issue(colleague, program)
    Assignment.objects.create(
        program=program, team=supervisor.team, due_on=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(supervisor.user)
    page = client.get("/supervision/?overdue=on").content.decode()
    assert "林晓雯" in page and "已逾期" in page
    assert "陈思琪" not in page  # certified: not overdue


def test_exports_carry_exactly_the_filtered_rows_with_chinese_intact(client, program, org):
    from openpyxl import load_workbook

    supervisor, mine, colleague, _other = org
    certificate = issue(mine, program)
    client.force_login(supervisor.user)
    response = client.get("/supervision/export.csv?status=certified")
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())  # Excel needs the mark to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["工号", "姓名"] and len(rows) == 2
    assert rows[1][1] == "林晓雯" and rows[1][8] == certificate.serial
    assert rows[1][rows[0].index("验证链接")].endswith(f"/verify/{certificate.code}/")
    response = client.get("/supervision/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["王建国", "林晓雯", "陈思琪"])


PAGES = (
    "/supervision/",
    "/supervision/?sort=status&status=expiring",
    "/supervision/?overdue=on&sort=due",
    "/supervision/matrix/",
    "/supervision/export.csv",
    "/supervision/export.xlsx",
)


def test_query_counts_do_not_grow_with_the_staff(client, program, org, django_assert_num_queries):
    supervisor, _mine, colleague, _other = org
    Assignment.objects.create(
        program=program, team=supervisor.team, due_on=timezone.localdate() - timedelta(days=1)
    )
    issue(colleague, program, days_ago=350)  # expiring: each page has a row at both sizes

    def read(url):
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:  # an export reads its rows while it is sent
            b"".join(response.streaming_content)

    client.force_login(supervisor.user)
    read(PAGES[0])  # the supervisor's permissions are read once, then cached
    few = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as captured:
            read(url)
        few[url] = len(captured)
    for n in range(12):
        person = StaffFactory(site=supervisor.site, team=supervisor.team)
        if n % 3 == 0:
            issue(person, program, days_ago=n * 40)
    for url in PAGES:
        with django_assert_num_queries(few[url]):
            read(url)


def test_the_matrix_shows_levels_and_the_weakest_competency_first(client, org):
    from academy.models import Competency

    from records.models import CompetencyRecord

    supervisor, mine, colleague, _other = org
    etiquette = Competency.objects.create(slug="etiquette", name="服务礼仪", sort_order=1)
    emergency = Competency.objects.create(slug="emergency", name="应急处置", sort_order=2)
    for person, level in ((mine, 3), (colleague, 4)):
        CompetencyRecord.objects.create(
            user=person.user, competency=etiquette, level=level, derived_level=level
        )
    CompetencyRecord.objects.create(user=mine.user, competency=emergency, level=1, derived_level=1)
    client.force_login(supervisor.user)
    page = client.get("/supervision/matrix/").content.decode()
    weakest = page.split("最薄弱的能力")[1].split("</ol>")[0]
    assert weakest.index("应急处置") < weakest.index("服务礼仪")
    assert 'class="level-cell level-4"' in page and "外场员工" not in page


def test_a_supervisor_assigns_a_program_within_their_scope(client, program, org):
    supervisor, mine, _colleague, other = org
    client.force_login(supervisor.user)
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(
        "/supervision/assign/",
        {"program": program.pk, "target": "team", "team": supervisor.team.pk, "due_on": due},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.team == supervisor.team and assignment.assigned_by == supervisor.user
    refused = client.post(
        "/supervision/assign/",
        {"program": program.pk, "target": "team", "team": other.team.pk, "due_on": due},
    )
    assert refused.status_code == 400 and Assignment.objects.count() == 1  # not a choice
    past = client.post(
        "/supervision/assign/",
        {
            "program": program.pk,
            "target": "person",
            "person": mine.pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert past.status_code == 400 and "截止日期已过" in past.content.decode()
    page = re.sub("<[^>]+>", "", client.get("/supervision/").content.decode())  # the text
    assert f"截止 {due}" in page


def test_an_xlsx_export_of_a_program_whose_name_excel_forbids_as_a_sheet_name(client, org):
    from openpyxl import load_workbook

    from certification.models import Program, ProgramRequirement

    program = Program.objects.create(name="前台/客服[夜班]：应急*处置认证？", code="night")
    ProgramRequirement.objects.create(program=program, kind="observation")
    supervisor, *_ = org
    client.force_login(supervisor.user)
    response = client.get(f"/supervision/export.xlsx?program={program.pk}")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.title == "前台_客服_夜班_：应急_处置认证？"


def test_a_team_supervisor_assigns_only_to_what_they_supervise(client, program):
    from tests.factories import TeamFactory

    own_team = TeamFactory()
    supervised_team = TeamFactory(site=own_team.site)
    other_team = TeamFactory(site=own_team.site)
    lead = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor", team=own_team)
    lead.supervised_teams.add(supervised_team)
    StaffFactory(team=supervised_team)
    StaffFactory(team=other_team)
    colleague = StaffFactory(team=own_team)  # visible? no: a colleague is not supervised
    client.force_login(lead.user)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    for refused in (
        {"target": "team", "team": own_team.pk},
        {"target": "position", "site": own_team.site.pk, "position": "front_desk"},
        {"target": "person", "person": colleague.pk},
    ):
        response = client.post(
            "/supervision/assign/", {"program": program.pk, "due_on": due, **refused}
        )
        assert response.status_code == 400, refused
    assert not Assignment.objects.exists()
    response = client.post(
        "/supervision/assign/",
        {"program": program.pk, "due_on": due, "target": "team", "team": supervised_team.pk},
    )
    assert response.status_code == 302 and Assignment.objects.get().team == supervised_team


def test_an_absurd_site_number_is_just_an_ignored_filter(client, org):
    supervisor, *_ = org
    client.force_login(supervisor.user)
    for url in ("/supervision/", "/supervision/matrix/"):
        response = client.get(url + "?site=99999999999999999999999")
        assert response.status_code == 200 and "已忽略无效的筛选条件" in response.content.decode()


def test_the_matrix_counts_the_staff_once(client, org):
    """Counting 50,000 people is one of the matrix's slowest queries: the page's paginator
    counts them and the averages reuse that count."""
    supervisor = org[0]
    client.force_login(supervisor.user)
    client.get("/supervision/matrix/")  # the supervisor's permissions are read once, then cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/supervision/matrix/").status_code == 200
    counts = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT COUNT(")]
    assert len(counts) == 1, counts
