"""Load benchmark of the production mode: N concurrent signed-in learners, each going round
home → module → lesson → start quiz → autosave → submit → review → role-play step, as fast
as the server answers, for a bounded time per level.

    python bench/load.py                       # levels 1, 10, 50; 30 s each; 1,000 staff
    python bench/load.py --levels 1,10 --seconds 10 --staff 200

It starts `scripts/serve.sh --production` (gunicorn, the task worker, the scheduler) against a
PostgreSQL database of its own (created, then dropped) and Redis, adds generated staff, a
course, a quiz and a role-play, and prints per level: requests/s, errors, and p50 / p95 / p99
per step in milliseconds; then the throughput at the highest level against the lowest.
The client runs on the same machine as the server, so its own CPU counts against both.
Needs the test extras (`scripts/setup.sh test`): the content is built by tests.factories.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import harness  # noqa: E402, F401  (Django set up: the helpers below import the test factories)

ROOT = Path(__file__).resolve().parents[1]

from tests.factories import PASSWORD  # noqa: E402  (every factory-made user's password)
from tests.site.test_production import (  # noqa: E402  (after the path is set)
    NoRedirect,
    admin_connection,
    database_url,
    drop_database,
    free_port,
    start,
    stop,
)

STEPS = [
    "home",
    "module",
    "lesson",
    "quiz start",
    "autosave",
    "submit",
    "review",
    "role-play open",
    "role-play step",
]
SETUP = """
from tests.factories import StaffFactory, build_course, build_quiz, build_scenario
from tests.roleplays.test_engine import choice, ending, node

index = build_course(modules=2, lessons_per_module=3)
quiz = build_quiz(title="压测测验")
scenario = build_scenario({{"start": "N1", "nodes": [
    node("N1", choices=[choice("a", "N2", empathy=2), choice("b", "BAD", empathy=-1)]),
    node("N2", choices=[choice("c", "GOOD", resolution=2)]),
    ending("GOOD", True, "业主满意离开"),
    ending("BAD", False, "业主拨打12345投诉"),
]}}, slug="load")
StaffFactory.create_batch({staff}, user__password=None)  # no password to hash: never signs in
for n in range({learners}):
    StaffFactory(user__username=f"load-{{n:03d}}")
module = index.get_children().first()
lesson = module.get_children().first()
print(json.dumps({{"module": module.url, "lesson": lesson.url, "quiz": quiz.pk}}))
"""
ANSWERS = {"q1": "c-three", "q2": ["", "m-hello", "m-thanks"], "q3": "50", "q4": "false"}


class Learner:
    """One learner's browser: a cookie jar, timing every request of a round."""

    def __init__(self, base_url: str, username: str, content: dict):
        self.base_url, self.username, self.content = base_url, username, content
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data=None, *, json_body=None):
        headers = {}
        if json_body is not None:
            data, headers = json.dumps(json_body).encode(), {"Content-Type": "application/json"}
        elif data is not None:
            data = urllib.parse.urlencode(data, doseq=True).encode()
        if data is not None:
            token = next(c.value for c in self.jar if c.name == "csrftoken")
            headers["X-CSRFToken"] = token
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_in(self) -> None:
        self.request("/accounts/login/")
        status, _headers, _body = self.request(
            "/accounts/login/", {"username": self.username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"{self.username} could not sign in ({status})")

    def round(self, record) -> None:
        """One round of the learner's steps; `record(step, seconds, ok)` for each."""

        def timed(step, expected, path, data=None, **kwargs):
            started = time.perf_counter()
            try:
                status, headers, body = self.request(path, data, **kwargs)
            except OSError:
                status, headers, body = 0, {}, b""
            record(step, time.perf_counter() - started, status in expected)
            return status, headers, body

        timed("home", {200}, "/")
        timed("module", {200}, self.content["module"])
        timed("lesson", {200}, self.content["lesson"])
        _s, headers, _b = timed("quiz start", {302}, f"/quizzes/{self.content['quiz']}/start/", {})
        found = re.search(r"/quizzes/attempts/(\d+)/", headers.get("Location", "") or "")
        if found:
            attempt = found.group(1)
            timed(
                "autosave",
                {200},
                f"/quizzes/attempts/{attempt}/answer/",
                json_body={"position": 1, "fields": {"q1": "c-three"}},
            )
            timed("submit", {302}, f"/quizzes/attempts/{attempt}/submit/", ANSWERS)
            timed("review", {200}, f"/quizzes/attempts/{attempt}/review/")
        _s, headers, _b = timed("role-play open", {302}, "/roleplays/load/start/", {})
        run_path = urllib.parse.urlparse(headers.get("Location", "") or "").path
        if run_path:
            status, _h, page = self.request(run_path)
            node = re.search(rb'name="node" value="([^"]+)"', page)
            reply = re.search(rb'name="choice" value="([^"]+)"', page)
            if status == 200 and node and reply:
                timed(
                    "role-play step",
                    {302},
                    f"{run_path}choose/",
                    {"node": node.group(1).decode(), "choice": reply.group(1).decode()},
                )


ROLES = {"gunicorn": "web", "db_worker": "worker", "postgres": "database", "redis": "cache"}
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_snapshot() -> dict:
    """CPU seconds used so far by each web worker, task worker, PostgreSQL and Redis process
    (all on the machine, by command line), by this client, and by the machine as a whole."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        role = next((r for key, r in ROLES.items() if key in command), None)
        if role:
            processes[entry.name] = (role, (int(fields[11]) + int(fields[12])) / TICKS)
    times = os.times()
    stat = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return {
        "processes": processes,
        "client": times.user + times.system,
        "machine busy": (sum(stat) - stat[3] - stat[4]) / TICKS,  # less idle and iowait
        "machine total": sum(stat) / TICKS,
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per role between two snapshots, process by process (a process that ended
    meanwhile is not counted; one that started is counted from zero)."""
    used: dict[str, float] = defaultdict(float)
    for pid, (role, seconds) in after["processes"].items():
        used[role] += seconds - before["processes"].get(pid, (role, 0.0))[1]
    for key in ("client", "machine busy", "machine total"):
        used[key] = after[key] - before[key]
    return used


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_level(base_url: str, content: dict, learners: int, seconds: float) -> dict:
    """`learners` threads going round for `seconds`; the timings and errors of each step."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()

    def record(step, elapsed, ok):
        with lock:
            timings[step].append(elapsed)
            if not ok:
                errors[step] += 1

    people = [Learner(base_url, f"load-{n:03d}", content) for n in range(learners)]
    for person in people:
        person.log_in()
    stop_at = time.monotonic() + seconds

    def go_round(person):
        while time.monotonic() < stop_at:
            person.round(record)

    threads = [threading.Thread(target=go_round, args=(p,)) for p in people]
    cpu_before = cpu_snapshot()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu_after = cpu_snapshot()
    total = sum(len(v) for v in timings.values())
    return {
        "learners": learners,
        "elapsed": elapsed,
        "requests": total,
        "rate": total / elapsed,
        "timings": timings,
        "errors": errors,
        "cpu": cpu_used(cpu_before, cpu_after),
    }


def print_level(result: dict) -> None:
    errors = sum(result["errors"].values())
    print(
        f"\n{result['learners']} learner(s): {result['requests']} requests in "
        f"{result['elapsed']:.0f} s = {result['rate']:.1f} req/s, {errors} errors"
    )
    print(f"  {'step':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    cpu = dict(result["cpu"])
    busy, total = cpu.pop("machine busy"), cpu.pop("machine total")
    per_request = ", ".join(
        f"{role} {1000 * seconds / max(1, result['requests']):.1f}"
        for role, seconds in sorted(cpu.items(), key=lambda item: -item[1])
    )
    print(f"  CPU ms per request: {per_request}")
    print(
        f"  cores busy: {sum(cpu.values()) / result['elapsed']:.2f} by this benchmark, "
        f"{busy / result['elapsed']:.2f} in all, of {total / result['elapsed']:.0f}"
    )
    for step in STEPS:
        values = result["timings"].get(step, [])
        if not values:
            print(f"  {step:<16}{0:>6}")
            continue
        p50, p95, p99 = (1000 * percentile(values, q) for q in (0.5, 0.95, 0.99))
        print(
            f"  {step:<16}{len(values):>6}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}"
            f"{result['errors'].get(step, 0):>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="1,10,50", help="concurrent learners (1,10,50)")
    parser.add_argument("--seconds", type=float, default=30, help="per level (30)")
    parser.add_argument("--staff", type=int, default=1000, help="generated staff (1000)")
    parser.add_argument("--workers", default="4", help="gunicorn workers (4)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    options = parser.parse_args()
    levels = [int(level) for level in options.levels.split(",")]

    admin_connection().close()  # PostgreSQL is reachable, or stop here
    name = f"kefu_load_{os.getpid()}"
    drop_database(name)
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "KEFU_"))
    }
    folder = ROOT / "test-artifacts" / "load"
    folder.mkdir(parents=True, exist_ok=True)
    environment.update(
        PORT=str(port),
        DATABASE_URL=database_url(name),
        REDIS_URL=options.redis,
        KEFU_WEB_WORKERS=options.workers,
        KEFU_DEMO="0",
        DJANGO_SECRET_KEY="load-benchmark-" + "k" * 40,
        DJANGO_STATIC_ROOT=str(ROOT / "test-artifacts" / "static-production"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_CERTIFICATE_ROOT=str(folder / "certificates"),
    )
    log = folder / "serve.log"
    log.write_text("")
    server = start(["scripts/serve.sh", "--production"], environment, log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base_url, server, log)
        script = SETUP.format(staff=options.staff, learners=max(levels))
        started = time.monotonic()
        output = subprocess.run(  # noqa: S603  (our own command)
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "manage.py",
                "shell",
                "-c",
                "import json\n" + script,
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        content = json.loads(output.strip().splitlines()[-1])
        print(
            f"Set up {options.staff} staff, {max(levels)} learners, a course, a quiz and a "
            f"role-play in {time.monotonic() - started:.0f} s; gunicorn -w {options.workers}"
        )
        results = [run_level(base_url, content, n, options.seconds) for n in levels]
        for result in results:
            print_level(result)
        if len(results) > 1:
            print(
                f"\nthroughput at {results[-1]['learners']} vs {results[0]['learners']}: "
                f"{results[-1]['rate'] / results[0]['rate']:.1f}×"
            )
        submit = [v for r in results for v in r["timings"].get("submit", [])]
        if submit:
            print(f"quiz submit over all levels: median {1000 * statistics.median(submit):.0f} ms")
    finally:
        stop(server)
        drop_database(name)


def wait_for_health(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("serve.sh --production stopped:\n" + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(base_url + "/health/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("no /health/ 200 after 900 s:\n" + log.read_text()[-3000:])


if __name__ == "__main__":
    main()
