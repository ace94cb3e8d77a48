"""`scripts/serve.sh --production` for real: gunicorn with three workers, the task worker and
the scheduler, against a PostgreSQL database of its own and Redis, on a free port.

One server start serves every check (module-scoped fixture): hashed static files with a
long cache header, /health/ with the worker's heartbeat, and the /verify/ rate limit shared
by all gunicorn workers and counted per client behind the proxy header.
"""

from __future__ import annotations

import concurrent.futures
import os
import random
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kefu")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START_DEADLINE = 900  # seconds: setup, migrate and collectstatic on a busy 2-core machine
CODE_URL = "/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_connection():
    config = dj_database_url.parse(POSTGRES_URL)
    params = {
        key: value
        for key, value in {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
        }.items()
        if value
    }
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def database_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


class Server:
    def __init__(self, base_url: str, process: subprocess.Popen, log: Path):
        self.base_url, self.process, self.log = base_url, process, log

    def get(self, path: str, headers: dict[str, str] | None = None):
        """(status, headers, body) of a GET."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def wait_for(self, condition, what: str, deadline_s: float) -> None:
        """Poll `condition` until it holds; fail with the server's log after the deadline."""
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve.sh stopped while waiting for {what}:\n{self.log_tail()}")
            try:
                if condition():
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.5)
        pytest.fail(f"no {what} after {deadline_s} s:\n{self.log_tail()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    try:
        admin_connection().close()
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    folder = tmp_path_factory.mktemp("production")
    name = f"kefu_production_test_{os.getpid()}"
    drop_database(name)
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST", "KEFU_"))
    }
    environment.update(
        PORT=str(port),
        DATABASE_URL=database_url(name),
        REDIS_URL=REDIS_URL,
        KEFU_WEB_WORKERS="3",
        KEFU_TRUSTED_PROXIES="1",  # the test is the proxy: it sends X-Forwarded-For
        KEFU_DEMO="0",
        DJANGO_SECRET_KEY="production-test-" + "k" * 40,
        DJANGO_STATIC_ROOT=str(ROOT / "test-artifacts" / "static-production"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_CERTIFICATE_ROOT=str(folder / "certificates"),
    )
    log = folder / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (our own script, fixed arguments)
            ["scripts/serve.sh", "--production"],  # noqa: S607
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    running = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        running.wait_for(lambda: running.get("/health/")[0] == 200, "/health/ 200", START_DEADLINE)
        yield running
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
        drop_database(name)


def test_hashed_static_files_are_served_with_a_long_cache_header(server):
    status, _headers, page = server.get("/accounts/login/")
    assert status == 200
    stylesheet = re.search(rb'href="(/static/academy/css/academy\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the login page links the hashed stylesheet"
    status, headers, body = server.get(stylesheet.group(1).decode(), {"Accept-Encoding": "gzip"})
    assert status == 200 and body
    cache_control = headers["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600 and "immutable" in cache_control
    assert headers["Content-Encoding"] == "gzip"


def test_health_reports_every_check_and_the_worker_heartbeat(server):
    def worker_ok():
        status, _headers, body = server.get("/health/")
        return status == 200 and b'"worker": {"status": "ok"' in body

    # The scheduler enqueues a heartbeat, the worker runs it: the whole task path works.
    server.wait_for(worker_ok, "worker heartbeat", deadline_s=120)
    status, headers, body = server.get("/health/")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert b'"database": {"status": "ok"' in body and b'"storage": {"status": "ok"' in body


def wait_for_a_fresh_minute():
    """The limit counts per calendar minute: start a burst well inside one."""
    deadline = time.monotonic() + 70
    while time.localtime().tm_sec > 45 and time.monotonic() < deadline:
        time.sleep(0.2)


def test_the_verify_limit_holds_across_workers_and_per_client_behind_the_proxy(server):
    client = f"198.51.100.{random.randrange(1, 255)}"  # noqa: S311  (fresh per run)
    other = f"203.0.113.{random.randrange(1, 255)}"  # noqa: S311
    wait_for_a_fresh_minute()

    def look_up(address):
        return server.get(CODE_URL, {"X-Forwarded-For": address, "Accept": "application/json"})[0]

    # 31 look-ups at once, spread over the three gunicorn workers: exactly one is refused
    # (a per-process counter would let all 31 through).
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(look_up, [client] * 31))
    assert statuses == [404] * 30 + [429]
    # Another client behind the same proxy has a bucket of its own.
    assert look_up(other) == 404
    # A forged X-Forwarded-For entry to the left of what the proxy saw buys nothing.
    assert look_up(f"10.9.9.9, {client}") == 429
