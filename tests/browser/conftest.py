"""Playwright driving Debian's chromium against pytest-django's live server.

The live server answers in threads of this process. Each of them, like the test thread, has
a database connection of its own (academy.test_settings puts the SQLite test database in a
file for that), so the browser's requests and the test's own ORM calls cannot share a
transaction. Tests still read the database only once the page a click leads to is shown,
and wait on what the user sees (Playwright's expect and wait_for_*), never on time.
"""

import re
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
# Without these, chromium keeps trying to reach Google's hosts from this offline machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long anything may take before the test fails: Playwright's actions, navigations and
# expect() assertions, and the server finishing its requests after a test. Nothing waits
# this long unless it is broken; it is generous so that a machine busy with other work
# (rendering a certificate PDF with two busy cores takes seconds) is not a failure.
DEADLINE_MS = 60_000


class RequestsInFlight:
    """The live server's requests under way: the threads between Django's request_started
    and request_finished signals (finished is sent once the response has been written)."""

    def __init__(self):
        self.threads = set()
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.threads.add(threading.current_thread())

    def finished(self, **kwargs):
        with self.changed:
            self.threads.discard(threading.current_thread())
            self.changed.notify_all()

    def busy(self) -> int:
        # A thread that ended without request_finished (a request Django could not even
        # read) is not busy: it must not hold up this test or any later one.
        self.threads = {thread for thread in self.threads if thread.is_alive()}
        return len(self.threads)

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: not self.busy(), timeout)


@pytest.fixture(scope="session")
def requests_in_flight():
    tracker = RequestsInFlight()
    request_started.connect(tracker.started, weak=False)
    request_finished.connect(tracker.finished, weak=False)
    yield tracker
    request_started.disconnect(tracker.started)
    request_finished.disconnect(tracker.finished)


@pytest.fixture(autouse=True)
def _isolated_from_the_live_server(request, requests_in_flight):
    """Before: refuse an in-memory SQLite database, whose connection the live server would
    share or fight over. After (the test's pages are closed by then, and the database is
    flushed only after this): wait until the server has answered everything it was
    asked, so that no request of this test writes into the next one's database."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.fail(
            "Browser tests need the file-based SQLite test database of "
            "academy.test_settings (DATABASES['default']['TEST']['NAME'])."
        )
    yield
    if "live_server" in request.fixturenames and not requests_in_flight.wait_until_idle(
        DEADLINE_MS / 1000
    ):
        pytest.fail(
            f"The live server was still answering {requests_in_flight.busy()} "
            f"request(s) {DEADLINE_MS // 1000} s after the test ended."
        )


@pytest.fixture(scope="session")
def browser():
    expect.set_options(timeout=DEADLINE_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(viewport, **context options such as user_agent) → a fresh page (own cookies)
    whose relative URLs hit the live server.

    Every page also fails its test if the browser reports a Content-Security-Policy violation
    (a blocked script, style, image or frame) on any page it visits."""
    contexts = []
    violations: list[str] = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, locale="zh-CN", **options
        )
        context.set_default_timeout(DEADLINE_MS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert violations == [], "CSP violations:\n" + "\n".join(violations)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def submit_login(page, username: str, password: str, path: str = "/accounts/login/") -> None:
    """Fill in and send a login form; the caller waits for what should follow."""
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").first.click()


def log_in(page, username: str, password: str, path: str = "/accounts/login/") -> None:
    """Log in and wait for the page the login leads to (any page but the login form)."""
    submit_login(page, username, password, path)
    expect(page).not_to_have_url(re.compile(r"/login/(\?|$)"))
    page.wait_for_load_state()


def open_admin_editor(page, path: str) -> None:
    """Open a Wagtail edit form and wait until Wagtail has noted how the form first stands
    (`w-unsaved:watch-edits`, a moment after loading). Only changes made after that count as
    unsaved edits, which the live preview follows: a test typing sooner than a person would
    saw its first edits taken for the form's starting state and the preview never update."""
    page.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.kefuWatching = true; })"
    )
    page.goto(path)
    page.wait_for_function("() => window.kefuWatching === true")
