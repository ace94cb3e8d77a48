"""Supervisors see who practises: days practised in the last seven days and the last day,
in the dashboard, the competency matrix and the exports — never which card got which
rating — read in one query for the whole page, however many people it shows."""

import csv
import io
from datetime import timedelta

import pytest
from academy.models import Competency
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.models import PracticeDay
from practice.selectors import practice_by_user
from tests.factories import StaffFactory
from tests.practice_factories import hold_cards, open_lesson, practice_lesson, rate_once

pytestmark = pytest.mark.django_db

HEADER = "练习（近7天）"


def practise(person, *days_ago: int, reviews: int = 12) -> None:
    today = timezone.localdate()
    for n in days_ago:
        PracticeDay.objects.create(user=person.user, day=today - timedelta(days=n), reviews=reviews)


def table_of(html: str, selector: str) -> dict[str, str]:
    """{person's name: the practice cell's text} of the page's table."""
    page = BeautifulSoup(html, "html.parser")
    table = page.select_one(selector)
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    column = headers.index(HEADER)
    cells = {}
    for row in table.select("tbody tr"):
        name = row.select_one("th[scope=row] a")
        if name is not None:
            cell = row.find_all(["th", "td"], recursive=False)[column]
            cells[name.get_text(strip=True)] = " ".join(cell.stripped_strings)
    return cells


def test_the_dashboard_and_the_matrix_show_who_practises(client, org, program):
    supervisor, mine, colleague, _other = org
    today = timezone.localdate()
    practise(mine, 0, 2, 6, 7, 20)  # three days within the week (today and 6 days back)
    practise(supervisor, 9)  # practised, not this week
    client.force_login(supervisor.user)

    dashboard = table_of(client.get("/supervision/").content.decode(), "table.dashboard-people")
    matrix = table_of(client.get("/supervision/matrix/").content.decode(), "table.matrix")
    for cells in (dashboard, matrix):
        assert cells["林晓雯"].endswith(f"3/7 天 最近 {today.isoformat()}")
        assert cells["王建国"].endswith(f"0/7 天 最近 {(today - timedelta(days=9)).isoformat()}")
        assert cells["陈思琪"].endswith("从未练习")


def test_the_exports_carry_the_practice_columns(client, org, program):
    supervisor, mine, _colleague, _other = org
    today = timezone.localdate()
    practise(mine, 1, 3)
    client.force_login(supervisor.user)
    data = b"".join(client.get("/supervision/export.csv?sort=name").streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    days, last = rows[0].index("练习天数（近7天）"), rows[0].index("最近练习")
    by_name = {row[1]: row for row in rows[1:]}
    assert (by_name["林晓雯"][days], by_name["林晓雯"][last]) == (
        "2",
        (today - timedelta(days=1)).isoformat(),
    )
    assert (by_name["陈思琪"][days], by_name["陈思琪"][last]) == ("0", "")

    from openpyxl import load_workbook

    response = client.get("/supervision/export.xlsx?sort=name")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    row = next(r for r in values if r[1] == "林晓雯")
    assert row[values[0].index("练习天数（近7天）")] == 2


PAGES = ("/supervision/", "/supervision/matrix/", "/supervision/export.csv")


def query_counts(client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        counts[url] = len(captured)
    return counts


def test_the_practice_column_costs_the_same_queries_for_3_or_30_people(client, org, program):
    supervisor, mine, colleague, _other = org
    for n, person in enumerate((supervisor, mine, colleague)):
        practise(person, n, n + 1)
    client.force_login(supervisor.user)
    client.get(PAGES[0])  # the supervisor's permissions are read once, then cached
    three = query_counts(client)
    for n in range(27):
        person = StaffFactory(site=supervisor.site, team=supervisor.team)
        practise(person, *range(n % 8))
    thirty = query_counts(client)
    assert thirty == three
    html = client.get("/supervision/matrix/").content.decode()
    assert len(table_of(html, "table.matrix")) == 30


def test_practice_by_user_reads_the_last_week_in_one_query(org):
    supervisor, mine, _colleague, _other = (person.user for person in org)
    phrases = Competency.objects.create(slug="phrases", name="规范用语")
    lesson, cards = practice_lesson(phrases, 5)
    open_lesson(mine, lesson)
    today = timezone.localdate()
    hold_cards(mine, cards[:1], start=timezone.now() - timedelta(days=25))  # days -25 … -12
    rate_once(mine, cards[1])
    with CaptureQueriesContext(connection) as queries:
        figures = practice_by_user([mine.pk, supervisor.pk], today)
    assert len(queries) == 1
    week = figures[mine.pk]
    assert (week.days_last_7, week.reviews_last_7, week.last_practised) == (1, 1, today)
    assert figures[supervisor.pk].days_last_7 == 0
    assert figures[supervisor.pk].last_practised is None
    yesterday = practice_by_user([mine.pk], today - timedelta(days=1))[mine.pk]
    assert yesterday.days_last_7 == 0 and yesterday.last_practised < today - timedelta(days=10)
