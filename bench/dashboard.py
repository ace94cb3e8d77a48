"""Supervisor dashboard at scale (issues #6 and #14): SQL queries, median page time and, for
the exports, peak Python memory and rows per second, for a supervisor who sees every one of
100 staff (2 sites) and of 10,000 staff (200 sites; `--big 50000` for issue #14's size), in
the same run.

Targets: the dashboard, the filtered dashboard and the matrix run the same number of queries
at both sizes, and their page time at the large size is within 3× of the time at 100; the
XLSX export of the large size takes at most 3× the CSV's time; exports stream with flat
memory (the same peak for a part of the rows as for all of them).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
         .venv/bin/python bench/dashboard.py
     .venv/bin/python bench/dashboard.py                 (SQLite, a quick look)
Options: --big N          size of the large company (default 10000)
         --explain        print the slowest queries of each page at the large size with their
                          plans (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite)
         --try-index      then create candidate indexes in the throwaway database and measure
                          again
Prints figures; asserts nothing (timings on shared machines are noisy).

The data is written with bulk_create, not the services (which would take an hour for 10,000
people): no history rows, no PDFs, no evidence behind the progress rows. What the dashboard
reads is all there: profiles in sites and teams, progress rows pointing at each person's
latest certificate (valid, expiring, expired, revoked, with superseded older versions),
assignments to teams, site positions and people, and competency records.
"""

import argparse
import random
import re
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

RUNS = 7
UNUSABLE_PASSWORD = "!bench"  # noqa: S105 - "!…" marks an unusable password in Django
SMALL, SMALL_SITES = 100, 2
BIG_SITES = 200
TEAMS = ("前台一组", "前台二组", "客服专员组")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉晓雯思琪嘉怡子轩浩然欣悦"
CITIES = ("深圳", "广州", "上海", "杭州", "成都", "武汉", "南京", "西安")
POSITIONS = (("front_desk", 70), ("specialist", 20), ("supervisor", 7), ("manager", 3))
COMPETENCIES = (
    ("etiquette", "服务礼仪"),
    ("language", "规范用语"),
    ("complaints", "投诉处理"),
    ("phone", "电话接听"),
)
PAGES = {
    "dashboard": "/supervision/",
    "filtered": "/supervision/?sort=status&status=expiring",
    "matrix": "/supervision/matrix/",
    "export.csv": "/supervision/export.csv",
    "export.xlsx": "/supervision/export.xlsx",
}
PAGE_TARGETS = ("dashboard", "filtered", "matrix")  # the 3× and equal-queries targets
# Exports read rows in chunks of exports.CHUNK (2,000): memory should stop growing once a
# couple of chunks are in flight. Parts of about 7 %, 20 % and 70 % of the rows, and all.
MEMORY_PARTS = ("position=supervisor", "position=specialist", "position=front_desk")
# Share of people per outcome in a program, in percent: what the dashboard will count.
MIX = {
    "main": {
        "valid": 32,
        "expiring": 5,
        "expired": 6,
        "revoked": 2,
        "in_progress": 30,
        "not_started": 25,
    },
    "second": {
        "valid": 12,
        "expiring": 2,
        "expired": 4,
        "revoked": 1,
        "in_progress": 20,
        "not_started": 61,
    },
}


@dataclass
class Shared:
    """What both companies share: programs, competencies, serial numbers, a seeded random."""

    rng: random.Random
    today: date
    programs: dict  # "main" / "second" → Program
    competencies: list
    groups: dict  # role name → Group
    serials: dict[int, int] = field(default_factory=dict)  # year → last sequence

    def next_serial(self, year: int) -> str:
        from certification.rules import serial_number

        self.serials[year] = self.serials.get(year, 0) + 1
        return serial_number(year, self.serials[year])


def pick(rng: random.Random, weighted) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights=weights)[0]


def build_shared() -> Shared:
    from academy.models import Competency
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from certification.models import Program, ProgramRequirement
    from staff.roles import ensure_role_groups

    ensure_role_groups()
    competencies = [
        Competency.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": n})[0]
        for n, (slug, name) in enumerate(COMPETENCIES)
    ]
    # The dashboard opens on the first active program by name: make "main" that one.
    main = Program.objects.create(
        name="A 前台客服上岗认证", code="bench-front-desk", validity_months=12
    )
    second = Program.objects.create(
        name="B 投诉处理专项认证", code="bench-complaints", validity_months=24
    )
    main.competencies.set(competencies[:2])
    second.competencies.set(competencies[2:])
    for program in (main, second):
        ProgramRequirement.objects.create(program=program, kind="observation")
    rng = random.Random(20260)  # noqa: S311 - made-up bench data, not secrets
    return Shared(
        rng=rng,
        today=timezone.localdate(),
        programs={"main": main, "second": second},
        competencies=competencies,
        groups={g.name: g for g in Group.objects.all()},
    )


def build_company(shared: Shared, tag: str, staff_count: int, site_count: int):
    """A company with `staff_count` people in `site_count` sites, and the user of a
    supervisor (one of those people) who supervises every site. Returns that user."""
    from django.contrib.auth import get_user_model

    from staff.models import Company, Site, StaffProfile, Team
    from supervision.services import due_dates_update_for

    User = get_user_model()  # noqa: N806 - Django's own spelling
    rng = shared.rng
    company = Company.objects.create(name=f"{tag} 物业服务有限公司")
    cities = [rng.choice(CITIES) for _ in range(site_count)]
    sites = Site.objects.bulk_create(
        [
            Site(
                company=company, code=f"{tag}-{n:03d}", name=f"{tag}{city}第{n}服务中心", city=city
            )
            for n, city in enumerate(cities)
        ]
    )
    teams = Team.objects.bulk_create(
        [Team(site=site, name=name) for site in sites for name in TEAMS]
    )
    users = User.objects.bulk_create(
        [User(username=f"{tag}-{n:05d}", password=UNUSABLE_PASSWORD) for n in range(staff_count)],
        batch_size=2000,
    )
    learner, supervisor_group = shared.groups["learner"], shared.groups["supervisor"]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=learner.pk) for u in users]
        + [User.groups.through(user_id=users[0].pk, group_id=supervisor_group.pk)],
        batch_size=5000,
    )
    profiles = []
    for n, user in enumerate(users):
        team = teams[n % len(teams)]
        profiles.append(
            StaffProfile(
                user=user,
                employee_number=f"{tag}{n:06d}",
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                position="supervisor" if n == 0 else pick(rng, POSITIONS),
                site=team.site,
                team=team if rng.random() > 0.03 else None,
                hire_date=shared.today - timedelta(days=rng.randint(30, 3000)),
                active=rng.random() > 0.02 or n == 0,
            )
        )
    profiles = StaffProfile.objects.bulk_create(profiles, batch_size=2000)
    StaffProfile.supervised_sites.through.objects.bulk_create(
        [
            StaffProfile.supervised_sites.through(staffprofile_id=profiles[0].pk, site_id=site.pk)
            for site in sites
        ]
    )
    for key, program in shared.programs.items():
        build_program_records(shared, program, MIX[key], profiles)
    build_assignments(shared, sites, teams, profiles)
    # bulk_create sends no signals: store the due dates as the receivers would have.
    due_dates_update_for([u.pk for u in users])
    build_competency_records(shared, profiles)
    return users[0]


def build_program_records(shared: Shared, program, mix: dict, profiles) -> None:
    """Certificates and a progress row per person (none for half of those not started)."""
    from django.utils import timezone

    from certification.models import Certificate
    from certification.rules import new_verification_code
    from supervision.models import ProgramProgress

    rng, today = shared.rng, shared.today
    days = 365 * program.validity_months // 12
    outcomes = {p.user_id: pick(rng, mix.items()) for p in profiles}
    latest, older = [], []
    for person in profiles:
        outcome = outcomes[person.user_id]
        if outcome in ("in_progress", "not_started"):
            continue
        expires = today + timedelta(
            days={
                "valid": rng.randint(31, days - 1),
                "expiring": rng.randint(0, 30),
                "expired": -rng.randint(1, 300),
                "revoked": rng.randint(31, days - 1),
            }[outcome]
        )
        issued = expires - timedelta(days=days)
        certificate = Certificate(
            program=program,
            user_id=person.user_id,
            holder_name=person.name,
            serial=shared.next_serial(issued.year),
            code=new_verification_code(),
            issued_on=issued,
            expires_on=expires,
        )
        if outcome == "revoked":
            certificate.revoked_at = timezone.make_aware(
                datetime.combine(today - timedelta(days=rng.randint(1, 60)), datetime.min.time())
            )
            certificate.revoke_reason = "离职交接时发现证书信息与本人不符"
        latest.append(certificate)
        if outcome in ("valid", "expiring") and rng.random() < 0.25:  # renewed after expiry
            old_issued = issued - timedelta(days=days + rng.randint(1, 60))
            older.append(
                Certificate(
                    program=program,
                    user_id=person.user_id,
                    holder_name=person.name,
                    serial=shared.next_serial(old_issued.year),
                    code=new_verification_code(),
                    issued_on=old_issued,
                    expires_on=old_issued + timedelta(days=days),
                    superseded_at=timezone.make_aware(
                        datetime.combine(issued, datetime.min.time())
                    ),
                )
            )
    Certificate.objects.bulk_create(older, batch_size=2000)
    latest = Certificate.objects.bulk_create(latest, batch_size=2000)
    certificate_of = {c.user_id: c.pk for c in latest}
    progress = []
    for person in profiles:
        outcome = outcomes[person.user_id]
        if outcome == "not_started" and rng.random() < 0.5:
            continue  # nobody ever touched the program: no row at all
        certified = person.user_id in certificate_of
        progress.append(
            ProgramProgress(
                user_id=person.user_id,
                program=program,
                certificate_id=certificate_of.get(person.user_id),
                requirements_met=1 if certified else 0,
                requirements_total=1,
                started=outcome != "not_started",
            )
        )
    ProgramProgress.objects.bulk_create(progress, batch_size=2000)


def build_assignments(shared: Shared, sites, teams, profiles) -> None:
    """The main program assigned to a quarter of the teams, to front desks at a few sites
    and to 1 % of the people (new hires); some due dates are past."""
    from supervision.models import Assignment

    rng, today, main = shared.rng, shared.today, shared.programs["main"]
    supervisor = profiles[0].user_id

    def due() -> date:
        return today + timedelta(days=rng.randint(-60, 120))

    assignments = [
        Assignment(program=main, team=team, due_on=due(), assigned_by_id=supervisor)
        for team in teams
        if rng.random() < 0.25
    ]
    assignments += [
        Assignment(
            program=main, site=site, position="front_desk", due_on=due(), assigned_by_id=supervisor
        )
        for site in sites
        if rng.random() < 0.05
    ]
    assignments += [
        Assignment(program=main, user_id=person.user_id, due_on=due(), assigned_by_id=supervisor)
        for person in profiles
        if rng.random() < 0.01
    ]
    assignments += [
        Assignment(
            program=shared.programs["second"], team=team, due_on=due(), assigned_by_id=supervisor
        )
        for team in teams
        if rng.random() < 0.05
    ]
    Assignment.objects.bulk_create(assignments, batch_size=2000)


def build_competency_records(shared: Shared, profiles) -> None:
    from records.models import CompetencyRecord

    rng = shared.rng
    records = []
    for person in profiles:
        if rng.random() < 0.15:  # new, nothing recorded yet
            continue
        for competency in shared.competencies:
            level = pick(rng, ((0, 10), (1, 30), (2, 35), (3, 20), (4, 5)))
            records.append(
                CompetencyRecord(
                    user_id=person.user_id,
                    competency=competency,
                    level=level,
                    derived_level=level,
                    source="evidence",
                )
            )
    CompetencyRecord.objects.bulk_create(records, batch_size=5000)


def consume(response) -> tuple[int, int]:
    """Read the whole response as a browser would: (bytes, lines)."""
    if not response.streaming:
        return len(response.content), response.content.count(b"\n")
    size = lines = 0
    for chunk in response.streaming_content:
        chunk = chunk.encode() if isinstance(chunk, str) else chunk
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines  # the test client closed the response at the last chunk


@dataclass
class Figures:
    queries: int
    # As the debug cursor times them. A streamed export's query is timed when its cursor
    # opens: on PostgreSQL the whole query (a WITH HOLD cursor), on SQLite the first rows.
    sql_ms: float
    median_ms: float
    status: int
    size: int
    lines: int
    peak_bytes: int | None = None
    parts: dict = field(default_factory=dict)  # exports: filter → (peak bytes, lines)
    captured: list = field(default_factory=list)


def capture(client, url: str) -> Figures:
    """One warm-up, then the queries of one request and what it returned."""
    consume(client.get(url))
    connection.queries_log.clear()  # the log is a bounded deque: a full one counts nothing new
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        size, lines = consume(response)
    captured = list(queries.captured_queries)  # before the next request clears the log
    return Figures(
        queries=len(captured),
        sql_ms=sum(float(q["time"]) for q in captured) * 1000,
        median_ms=0.0,
        status=response.status_code,
        size=size,
        lines=lines,
        captured=captured,
    )


def timed(client, url: str) -> float:
    start = time.perf_counter()
    consume(client.get(url))
    return time.perf_counter() - start


def peak_memory(client, url: str) -> tuple[int, int]:
    """Peak Python memory while one request is answered and read (traced separately:
    tracing slows everything down), and the lines read."""
    tracemalloc.start()
    _size, lines = consume(client.get(url))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, lines


def measure_all(supervisors: dict) -> dict:
    """Per size and page: queries, median time, and peak memory for the exports. The sizes
    take turns run by run, so that a busy moment on a shared machine hits both alike."""
    from django.test import Client

    clients = {}
    for size, user in supervisors.items():
        clients[size] = Client()
        clients[size].force_login(user)
    results: dict = {size: {} for size in supervisors}
    for name, url in PAGES.items():
        times: dict = {size: [] for size in supervisors}
        for size, client in clients.items():
            results[size][name] = capture(client, url)
        for _ in range(RUNS):
            for size, client in clients.items():
                times[size].append(timed(client, url))
        for size, client in clients.items():
            results[size][name].median_ms = statistics.median(times[size]) * 1000
            if name.startswith("export"):
                figures = results[size][name]
                figures.peak_bytes = peak_memory(client, url)[0]
                if size == max(clients):
                    figures.parts = {
                        part: peak_memory(client, f"{url}?{part}") for part in MEMORY_PARTS
                    }
    return results


def print_results(results: dict, title: str) -> None:
    small, big = sorted(results)
    print(f"\n{title}")
    print(f"{'page':<12}{'queries':>13}{'median ms':>20}{'of which SQL':>20}{'ratio':>8}  target")
    print(f"{'':<12}{small:>6,}{big:>7,}{small:>10,}{big:>10,}{small:>10,}{big:>10,}{'time':>8}")
    for name in PAGES:
        a, b = results[small][name], results[big][name]
        ratio = b.median_ms / a.median_ms
        verdict = ""
        if name in PAGE_TARGETS:
            same = "PASS" if a.queries == b.queries else "FAIL"
            fast = "PASS" if ratio <= 3 else "FAIL"
            verdict = f"queries equal {same}, time ≤3× {fast}"
        elif a.queries == b.queries:
            verdict = "queries equal"
        bad = [f"HTTP {f.status} at {n:,}" for n, f in ((small, a), (big, b)) if f.status != 200]
        print(
            f"{name:<12}{a.queries:>6}{b.queries:>7}{a.median_ms:>10.1f}{b.median_ms:>10.1f}"
            f"{a.sql_ms:>10.1f}{b.sql_ms:>10.1f}{ratio:>7.1f}×  {verdict}"
            f"{'  ' + ', '.join(bad) if bad else ''}"
        )
    rows = {n: results[n]["export.csv"].lines - 1 for n in (small, big)}
    print(f"\n{'export':<12}{'rows':>14}{'rows/s':>20}{'peak Python memory (MiB)':>30}")
    for name in PAGES:
        if not name.startswith("export"):
            continue
        a, b = results[small][name], results[big][name]
        mib = {n: f.peak_bytes / 2**20 for n, f in ((small, a), (big, b))}
        print(
            f"{name:<12}{rows[small]:>6,}{rows[big]:>8,}"
            f"{rows[small] / a.median_ms * 1000:>10,.0f}{rows[big] / b.median_ms * 1000:>10,.0f}"
            f"{mib[small]:>10.2f}{mib[big]:>8.2f} ({mib[big] / mib[small]:.1f}× for "
            f"{rows[big] / rows[small]:.0f}× the rows; file {b.size / 2**20:.1f} MiB)"
        )
    ratio = results[big]["export.xlsx"].median_ms / results[big]["export.csv"].median_ms
    verdict = "PASS" if ratio <= 3 else "FAIL"
    print(f"export.xlsx time at {big:,} staff: {ratio:.1f}× the CSV's  target ≤3× {verdict}")
    print(f"flat memory at {big:,} staff, peak MiB for a part of the rows and for all:")
    for name in PAGES:
        if name.startswith("export"):
            figures = results[big][name]
            csv_parts = results[big]["export.csv"].parts  # an XLSX file has no lines to count
            print(
                f"  {name:<12}"
                + ", ".join(
                    f"{csv_parts[part][1] - 1:,} rows ({part}) {peak / 2**20:.2f}"
                    for part, (peak, _lines) in figures.parts.items()
                )
                + f", all {rows[big]:,} rows {figures.peak_bytes / 2**20:.2f}"
            )


def short_sql(sql: str) -> str:
    """The SQL with long IN lists of ids shortened, for reading."""
    return re.sub(
        r"IN \((\d+, ){5,}\d+\)", lambda m: f"IN (… {m.group(0).count(',') + 1} ids …)", sql
    )


def explain(results: dict, top: int = 2) -> None:
    """The slowest queries of each page at the large size, with their plans."""
    big = max(results)
    for name in PAGES:
        captured = sorted(results[big][name].captured, key=lambda q: -float(q["time"]))
        print(
            f"\n===== {name} at {big:,} staff: the {top} slowest of {len(captured)} queries ====="
        )
        for query in captured[:top]:
            print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{short_sql(query['sql'])}\n")
            if connection.vendor == "postgresql":
                sql = f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}"
            else:
                sql = f"EXPLAIN QUERY PLAN {query['sql']}"
            with connection.cursor() as cursor:
                cursor.execute(sql)
                print("\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall()))


# Candidate indexes, tried with --try-index (in the throwaway database only).
CANDIDATE_INDEXES = [
    # The due-date subquery looks assignments up by program and one of three targets.
    "CREATE INDEX bench_assignment_program_team ON supervision_assignment "
    "(program_id, team_id, due_on)",
    "CREATE INDEX bench_assignment_program_user ON supervision_assignment "
    "(program_id, user_id, due_on)",
    "CREATE INDEX bench_assignment_program_site ON supervision_assignment "
    "(program_id, site_id, position, due_on)",
    # The staff list: active people of a site, in the dashboard's default order.
    "CREATE INDEX bench_staff_site_active ON staff_staffprofile (site_id, active)",
]


def production_rendering() -> None:
    """Undo the test environment's template instrumentation: with it, the test client copies
    the context for every template rendered, one per <option> of the site and team filters,
    which no production request pays. DEBUG off as in production."""
    from django.test.utils import teardown_test_environment

    teardown_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--try-index", action="store_true")
    options = parser.parse_args()
    with throwaway_database():
        production_rendering()
        start = time.perf_counter()
        shared = build_shared()
        supervisors = {
            SMALL: build_company(shared, "S", SMALL, SMALL_SITES),
            options.big: build_company(shared, "L", options.big, BIG_SITES),
        }
        analyse()  # statistics, as autovacuum would have gathered by now in production
        version = (
            connection.pg_version
            if connection.vendor == "postgresql"
            else connection.Database.sqlite_version
        )
        print(
            f"{connection.vendor} {version}: built {SMALL:,} + {options.big:,} staff, "
            f"{SMALL_SITES} + {BIG_SITES} sites in {time.perf_counter() - start:.1f} s; "
            f"median of {RUNS} runs after one warm-up"
        )
        variants = {"as the project stands": measure_all(supervisors)}
        print_results(variants["as the project stands"], "as the project stands")
        if options.explain:
            explain(variants["as the project stands"])
        if options.try_index:
            with connection.cursor() as cursor:
                for sql in CANDIDATE_INDEXES:
                    cursor.execute(sql)
            analyse()
            title = "+ candidate indexes (--try-index)"
            variants[title] = measure_all(supervisors)
            print_results(variants[title], title)
        if len(variants) > 1:
            big = options.big
            print(
                f"\nmedian ms at {big:,} staff: "
                + " → ".join(f"({n + 1}) {title}" for n, title in enumerate(variants))
            )
            for name in PAGES:
                print(
                    f"  {name:<12}"
                    + " → ".join(
                        f"{figures[big][name].median_ms:.1f}" for figures in variants.values()
                    )
                )


if __name__ == "__main__":
    main()
