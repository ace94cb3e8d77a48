"""Certificate PDFs drawn by task workers: N certificates are issued without their PDFs, N
render tasks queued in the database, then W `manage.py db_worker --batch` processes (the
production worker, heartbeat and all) run until the queue is empty.

Prints the wall time from starting the workers until the last one exits (their start-up
included), the time from the first task taken to the last one finished, and PDFs a second.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench \
         .venv/bin/python bench/worker.py [--certificates 1000] [--workers 2]
PostgreSQL only: SQLite has one writer, and the production worker runs against PostgreSQL.
Asserts nothing.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from certificates import random_name
from harness import throwaway_database  # importing it sets Django up

ROOT = Path(__file__).resolve().parents[1]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def issue_without_pdfs(count: int) -> list[int]:
    """`count` certificates as `certificate_issue` leaves them before the PDF (bulk-made: the
    issuing is not what is measured here)."""
    from django.contrib.auth import get_user_model

    from certification import rules
    from certification.models import Certificate, Program
    from staff.models import Company, Site, StaffProfile

    rng = random.Random(13)  # noqa: S311 - sample names
    site = Site.objects.create(
        company=Company.objects.create(name="基准物业"), code="bench", name="基准服务中心"
    )
    program = Program.objects.create(name="前台客服上岗认证", code="bench", validity_months=12)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{n}") for n in range(count)
    )
    names = [random_name(rng) for _ in users]
    StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user, employee_number=f"B{n:05d}", name=name, position="receptionist", site=site
        )
        for n, (user, name) in enumerate(zip(users, names, strict=True))
    )
    today = date.today()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            program=program,
            user=user,
            holder_name=name,
            serial=rules.serial_number(today.year, n + 1),
            code=rules.new_verification_code(),
            issued_on=today,
            expires_on=rules.add_months(today, 12),
        )
        for n, (user, name) in enumerate(zip(users, names, strict=True))
    )
    return [certificate.pk for certificate in certificates]


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_workers(workers: int, certificate_root: str) -> float:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy.settings",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": database_url(),
        "DJANGO_CERTIFICATE_ROOT": certificate_root,
        "DJANGO_DEBUG": "true",  # no secret key needed; nothing is served
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0", "--verbosity", "0"]
    start = time.perf_counter()
    processes = [
        subprocess.Popen([*command, "--worker-id", f"bench-{n}"], cwd=ROOT, env=env)  # noqa: S603
        for n in range(workers)
    ]
    codes = [process.wait() for process in processes]
    elapsed = time.perf_counter() - start
    if any(codes):
        raise SystemExit(f"a worker failed: exit codes {codes}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    from django.db import connection
    from django.db.models import Max, Min
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from certification.models import Certificate
    from certification.tasks import render_certificate_pdf

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (see the docstring).")
    certificate_root = tempfile.mkdtemp()  # bench PDFs do not pile up in the project
    with throwaway_database():
        ids = issue_without_pdfs(options.certificates)
        with override_settings(TASKS=DATABASE_BACKEND):
            for pk in ids:
                render_certificate_pdf.enqueue(pk)
        elapsed = run_workers(options.workers, certificate_root)
        done = DBTaskResult.objects.filter(task_path=render_certificate_pdf.module_path)
        span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
        busy = (span["last"] - span["first"]).total_seconds()
        stored = Certificate.objects.exclude(pdf="").count()
        by_worker = sorted(
            (ids[0], count)
            for ids, count in _count_by_worker(done.filter(status="SUCCESSFUL")).items()
        )
        print(
            f"{options.certificates} certificate PDFs, {options.workers} db_worker processes "
            f"({connection.vendor}): {elapsed:.1f} s wall (start-up included), "
            f"{busy:.1f} s from the first task to the last, "
            f"{stored / busy:.1f} PDFs/s; {stored} stored; per worker {by_worker}"
        )


def _count_by_worker(tasks) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for worker_ids in tasks.values_list("worker_ids", flat=True):
        counts[tuple(worker_ids)] = counts.get(tuple(worker_ids), 0) + 1
    return counts


if __name__ == "__main__":
    main()
