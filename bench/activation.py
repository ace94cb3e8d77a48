"""Printing an activation sheet (issue #15): SQL queries and median time of the sheet request
(issue the codes, draw a QR code per person, render the page) for 10, 100 and 500 people
(the most one sheet takes), in the same run.

Target: the query count does not grow with the number of people, and the time per person at
500 is within 1.5× of the time per person at 100 (the QR codes dominate, linearly).

Run: .venv/bin/python bench/activation.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench .venv/bin/python bench/activation.py
Prints figures; asserts nothing (timings on shared machines are noisy).
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

SIZES = (10, 100, 500)
RUNS = 5
UNUSABLE_PASSWORD = "!bench"  # noqa: S105 - "!…" marks an unusable password in Django


def build(size: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from staff.models import Company, Position, Site, StaffProfile, Team

    User = get_user_model()
    company, _ = Company.objects.get_or_create(name="基准物业")
    site = Site.objects.create(
        company=company, code=f"bench-{size}", name=f"基准{size}", city="深圳"
    )
    team = Team.objects.create(site=site, name=f"前台{size}")
    users = User.objects.bulk_create(
        User(username=f"b{size}-{n}", password=UNUSABLE_PASSWORD) for n in range(size)
    )
    people = StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user,
            employee_number=f"B{size}-{n:05d}",
            name=f"员工{n}",
            position=Position.FRONT_DESK,
            site=site,
            team=team,
        )
        for n, user in enumerate(users)
    )
    boss_user = User.objects.create(username=f"boss{size}")
    boss_user.groups.add(Group.objects.get(name="supervisor"))
    boss = StaffProfile.objects.create(
        user=boss_user,
        employee_number=f"BOSS{size}",
        name="主管",
        position=Position.SUPERVISOR,
        site=site,
        team=team,
    )
    boss.supervised_teams.add(team)
    return boss_user, [person.pk for person in people]


def main():
    from staff.roles import ensure_role_groups

    ensure_role_groups()
    rows = []
    for size in SIZES:
        boss, staff_ids = build(size)
        client = Client()
        client.force_login(boss)
        times, queries = [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post("/activate/sheet/", {"staff": staff_ids})
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        rows.append((size, queries, statistics.median(times)))
    print(f"database: {connection.vendor}, median of {RUNS} sheet requests")
    print(f"{'people':>7} {'queries':>8} {'ms':>9} {'ms/person':>10}")
    for size, queries, seconds in rows:
        print(f"{size:>7} {queries:>8} {seconds * 1000:>9.1f} {seconds * 1000 / size:>10.2f}")
    per_person = {size: seconds / size for size, _, seconds in rows}
    print(f"per-person time, 500 vs 100: {per_person[500] / per_person[100]:.2f}×")


if __name__ == "__main__":
    with throwaway_database():
        main()
