"""`scripts/serve.sh --production` for real: gunicorn with three workers, the task worker and
the scheduler, against a PostgreSQL database of its own and Redis, on a free port.

One server start serves every check (module-scoped fixture): hashed static files with a
long cache header; /health/ with the worker's heartbeat, 503 while the database is
unreachable and everything working again after; the /verify/ rate limit shared by all
gunicorn workers and counted per client behind the proxy header; a learner's passing submit
answered while the task worker is stopped, the certificate and its PDF coming once it runs
again. Then scale-out: a second gunicorn master on another port, both behind Debian's nginx
(round-robin, with deploy/nginx-kefu-proxy.conf), sharing the database, Redis and storage.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.factories import PASSWORD, RIGHT_ANSWERS

# It always runs against PostgreSQL and Redis of its own, so once is enough: in the
# PostgreSQL pass of scripts/test.sh.
pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="runs once, in the PostgreSQL pass"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kefu")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START_DEADLINE = 900  # seconds: setup, migrate and collectstatic on a busy 2-core machine
CODE_URL = "/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_connection(dbname: str = "postgres"):
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
    return psycopg.connect(dbname=dbname, autocommit=True, **params)


def database_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def stop(process: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, with all its children."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def start(command: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603  (our own commands, fixed arguments)
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
        )


class Server:
    def __init__(
        self,
        base_url: str,
        process: subprocess.Popen,
        log: Path,
        environment=None,
        database: str = "",
    ):
        self.base_url, self.process, self.log = base_url, process, log
        self.environment = environment or {}
        self.database = database  # the name of its PostgreSQL database

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
    process = start(["scripts/serve.sh", "--production"], environment, log)
    running = Server(f"http://127.0.0.1:{port}", process, log, environment, database=name)
    try:
        running.wait_for(lambda: running.get("/health/")[0] == 200, "/health/ 200", START_DEADLINE)
        yield running
    finally:
        stop(process)
        drop_database(name)


# What serve.sh --production exports besides what the `server` fixture passes it.
PRODUCTION_MODE = {
    "DJANGO_DEBUG": "false",
    "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
}


def manage(server: Server, code: str) -> str:
    """Run Python in `manage.py shell` against the server's database and Redis; its output."""
    environment = {**server.environment, **PRODUCTION_MODE}
    result = subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def new_learner(username: str) -> str:
    """Code for `manage`: a learner signing in with PASSWORD, made by the test factories.
    Every `manage.py shell` starts their sequences afresh, so the unique fields are named."""
    return (
        "from tests.factories import StaffFactory\n"
        f"StaffFactory(user__username={username!r}, employee_number={username!r}, "
        f"team__site__code={username!r})\n"
    )


# --- a learner in a browser ------------------------------------------------------------------


class Browser:
    """A learner's browser: one cookie jar, whichever server it talks to."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def request(self, url: str, data=None, *, json_body=None):
        headers = {}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json"}
        elif data is not None:
            data = urllib.parse.urlencode(data, doseq=True).encode()
        if data is not None:
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads the 302 and its Location itself


# The quiz of tests.factories.build_quiz answered right (positions in build order).
RIGHT_FORM = {
    "q1": RIGHT_ANSWERS["phone"],
    "q2": ["", *RIGHT_ANSWERS["courtesy"]],
    "q3": RIGHT_ANSWERS["tea"],
    "q4": RIGHT_ANSWERS["forbidden"],
}


def signed_in(base_url: str, username: str) -> Browser:
    browser = Browser()
    assert browser.request(f"{base_url}/accounts/login/")[0] == 200
    status, _headers, _body = browser.request(
        f"{base_url}/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert status == 302, f"{username} signed in"
    return browser


def start_quiz(browser: Browser, base_url: str, quiz_id: str) -> str:
    """Start an attempt; its id."""
    status, headers, _body = browser.request(f"{base_url}/quizzes/{quiz_id}/start/", {})
    assert status == 302
    return re.search(r"/quizzes/attempts/(\d+)/", headers["Location"]).group(1)


# --- the server's own processes ---------------------------------------------------------------


def server_processes(server: Server, command: str) -> list[int]:
    """Pids of the `manage.py <command>` processes serve.sh started for this server. It runs
    in a session of its own, so its process group holds its processes and never those of
    another test running beside this one."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != server.process.pid:
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        if len(argv) > 2 and argv[1].endswith(b"manage.py") and argv[2] == command.encode():
            found.append(int(entry.name))
    return sorted(found)


def process_state(pid: int) -> str:
    """R, S, T (stopped), Z, ... from /proc/<pid>/stat (the field after the command name)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@contextlib.contextmanager
def paused(server: Server, pids: list[int]):
    """The processes stopped (SIGSTOP) inside the block and continued afterwards, whatever
    happens in it."""
    stopped = []
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        server.wait_for(
            lambda: all(process_state(pid) == "T" for pid in pids), "processes stopped", 10
        )
        yield
    finally:
        for pid in stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def database_closed(name: str):
    """Database `name` unreachable inside the block, as when its server goes away: new
    connections refused, open ones ended. Open again afterwards, whatever happens."""
    database = sql.Identifier(name)
    with admin_connection() as admin:
        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(database))
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            yield
        finally:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(database))


def task_status(server: Server, task_id: str) -> str | None:
    """READY, RUNNING, SUCCESSFUL, FAILED: a task of the database backend, read directly."""
    with admin_connection(server.database) as database:
        row = database.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id]
        ).fetchone()
    return row and row[0]


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

    # The worker writes its heartbeat to the shared cache while it polls for tasks.
    server.wait_for(worker_ok, "worker heartbeat", deadline_s=120)
    status, headers, body = server.get("/health/")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert b'"database": {"status": "ok"' in body and b'"storage": {"status": "ok"' in body


WORKER_OUTAGE = "Database error, the worker polls again"  # academy db_worker's warning


def test_health_turns_503_while_the_database_is_unreachable_and_everything_recovers(server):
    workers = server_processes(server, "db_worker")
    assert workers, "serve.sh started a task worker"
    assert server.get("/health/")[0] == 200
    secrets = [
        server.environment["DATABASE_URL"],
        server.environment["DJANGO_SECRET_KEY"],
        server.database,
        "postgres",
        ":5432",
    ]

    def worker_outages() -> int:
        return server.log.read_text(errors="replace").count(WORKER_OUTAGE)

    outages_before = worker_outages()
    with database_closed(server.database):
        # More requests than gunicorn workers: each worker's persistent connection is gone.
        for _ in range(6):
            started = time.monotonic()
            status, headers, body = server.get("/health/")
            assert time.monotonic() - started < 10, "answers at once, does not hang"
            assert status == 503 and headers["Content-Type"] == "application/json"
            report = json.loads(body)
            assert report["status"] == "error"
            assert report["checks"]["database"]["status"] == "error"
            assert report["checks"]["cache"]["status"] == "ok"
            assert not [secret for secret in secrets if secret.encode() in body]
        # Long enough for the task worker to meet it too (it polls every 0.5 s).
        server.wait_for(
            lambda: worker_outages() > outages_before, "the worker meeting the outage", 30
        )
    # Back: every gunicorn worker connects again (CONN_HEALTH_CHECKS drops the dead one).
    server.wait_for(lambda: server.get("/health/")[0] == 200, "/health/ 200 again", 60)
    assert [server.get("/health/")[0] for _ in range(9)] == [200] * 9
    # The task worker lived through it and still runs tasks.
    assert server_processes(server, "db_worker") == workers
    task_id = manage(
        server,
        "from academy.tasks import follow_up_evidence; "
        "print(follow_up_evidence.enqueue(user_id=0).id)",
    )
    server.wait_for(
        lambda: task_status(server, task_id) == "SUCCESSFUL", "a task run after the outage", 60
    )


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


# A program whose one requirement is a quiz; prints the quiz's id.
CERTIFICATE_PROGRAM = """
from certification.models import Program, ProgramRequirement
from tests.factories import build_quiz
quiz = build_quiz(title='上岗测验')
program = Program.objects.create(name='上岗认证', code='production-test', validity_months=12)
ProgramRequirement.objects.create(program=program, kind='quiz', quiz=quiz, min_percent=80)
print(quiz.pk)
"""
PREPARING = "证书正在生成"  # "… certificate is being prepared"


def test_a_learner_earns_a_certificate_at_once_and_the_worker_draws_its_pdf(server):
    base = server.base_url
    stored = Path(server.environment["DJANGO_CERTIFICATE_ROOT"])
    quiz_id = manage(server, new_learner("certified") + CERTIFICATE_PROGRAM)
    browser = signed_in(base, "certified")
    attempt = start_quiz(browser, base, quiz_id)
    workers = server_processes(server, "db_worker")
    assert workers, "serve.sh started a task worker"

    with paused(server, workers):
        started = time.monotonic()
        status, headers, _body = browser.request(
            f"{base}/quizzes/attempts/{attempt}/submit/", RIGHT_FORM
        )
        # Graded in the request while no worker runs: the answer does not wait for one.
        assert time.monotonic() - started < 10
        assert status == 302 and headers["Location"].endswith(f"/attempts/{attempt}/review/")
        status, _headers, review = browser.request(f"{base}/quizzes/attempts/{attempt}/review/")
        assert status == 200 and "100%" in review.decode()
        # No certificate PDF yet; the learner's page says one is on its way.
        assert not list(stored.rglob("*.pdf"))
        status, _headers, page = browser.request(f"{base}/certificates/")
        assert status == 200 and PREPARING in page.decode()
        assert b"/pdf/" not in page

    def pdf_link():
        status, _headers, page = browser.request(f"{base}/certificates/")
        found = re.search(rb'href="(/certificates/\d+/pdf/)"', page)
        return found.group(1).decode() if status == 200 and found else None

    server.wait_for(pdf_link, "the certificate on the learner's page", 120)
    server.wait_for(lambda: list(stored.rglob("*.pdf")), "the PDF drawn by the worker", 120)
    link = pdf_link()
    server.wait_for(lambda: browser.request(base + link)[0] == 200, "the PDF downloadable", 30)
    status, headers, body = browser.request(base + link)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    assert body in {path.read_bytes() for path in stored.rglob("*.pdf")}, "the stored PDF"
    assert PREPARING not in browser.request(f"{base}/certificates/")[2].decode()


# --- scale-out: two gunicorn masters behind nginx ------------------------------------------

NGINX_CONF = """
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream kefu_app {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kefu_app;
            include {proxy_conf};
            add_header X-Upstream $upstream_addr always;  # the test only: who answered
        }}
    }}
}}
"""


class Cluster:
    def __init__(self, first: Server, second_url: str, nginx_port: int):
        self.first, self.second_url, self.nginx_port = first, second_url, nginx_port

    def through_nginx(self, path: str, source: str):
        """(status, X-Upstream) of a GET to nginx from the loopback address `source`."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.nginx_port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status, response.headers["X-Upstream"]
        finally:
            connection.close()


@pytest.fixture(scope="module")
def cluster(server, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.skip("nginx is not installed (scripts/setup.sh test installs it)")
    folder = tmp_path_factory.mktemp("cluster")
    second_port, nginx_port = free_port(), free_port()
    environment = {**server.environment, **PRODUCTION_MODE}
    second = start(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "academy.wsgi:application",
            "--bind",
            f"127.0.0.1:{second_port}",
            "--workers",
            "2",
            "--no-control-socket",
        ],
        environment,
        folder / "second.log",
    )
    first_port = int(server.base_url.rsplit(":", 1)[1])
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",
            folder=folder,
            first=first_port,
            second=second_port,
            port=nginx_port,
            proxy_conf=ROOT / "deploy" / "nginx-kefu-proxy.conf",
        )
    )
    proxy = start(
        [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        environment,
        folder / "nginx.log",
    )
    second_server = Server(f"http://127.0.0.1:{second_port}", second, folder / "second.log")
    through = Server(f"http://127.0.0.1:{nginx_port}", proxy, folder / "nginx.log")
    try:
        second_server.wait_for(lambda: second_server.get("/health/")[0] == 200, "second", 120)
        through.wait_for(lambda: through.get("/health/")[0] == 200, "nginx", 60)
        yield Cluster(server, second_server.base_url, nginx_port)
    finally:
        stop(proxy)
        stop(second)


def test_a_learner_starts_a_quiz_on_one_server_and_submits_through_the_other(cluster):
    quiz_id = manage(
        cluster.first,
        new_learner("scale-out") + "from tests.factories import build_quiz\nprint(build_quiz().pk)",
    )
    one, other = cluster.first.base_url, cluster.second_url
    browser = signed_in(one, "scale-out")
    attempt = start_quiz(browser, one, quiz_id)
    # The second server knows the session (Redis, PostgreSQL) and the attempt.
    status, _headers, body = browser.request(
        f"{other}/quizzes/attempts/{attempt}/answer/",
        json_body={"position": 1, "fields": {"q1": "c-three"}},
    )
    assert status == 200 and json.loads(body)["saved"] is True
    status, headers, _body = browser.request(
        f"{other}/quizzes/attempts/{attempt}/submit/", RIGHT_FORM
    )
    assert status == 302 and headers["Location"].endswith(f"/attempts/{attempt}/review/")
    status, _headers, review = browser.request(f"{one}/quizzes/attempts/{attempt}/review/")
    assert status == 200 and "100%" in review.decode()


def loopback() -> str:
    """A random loopback address (all of 127.0.0.0/8 is this machine): a fresh client."""
    return "127." + ".".join(str(random.randrange(2, 255)) for _ in range(3))  # noqa: S311


def test_nginx_spreads_requests_over_both_servers_and_the_verify_limit_counts_across(cluster):
    # A loopback address of its own: nginx sees it as the client and appends it to
    # X-Forwarded-For, which the app trusts one proxy deep.
    source = loopback()
    wait_for_a_fresh_minute()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: cluster.through_nginx(CODE_URL, source), range(31)))
    statuses = sorted(status for status, _upstream in answers)
    assert statuses == [404] * 30 + [429]
    assert len({upstream for _status, upstream in answers}) == 2, "both servers answered"
    # Another client through the same nginx still has its own bucket.
    assert cluster.through_nginx(CODE_URL, loopback())[0] == 404
