"""A real Learning Record Store for the xAPI tests: Ralph (ralph-malph) with its
file-system backend, served by uvicorn on 127.0.0.1 at a free port, once per session."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import bcrypt
import pytest
import requests

USERNAME = "kefu"
PASSWORD = "lrs-test-password"


# Ralph 5.1's file-system LRS backend writes each POST with its default operation, CREATE,
# which refuses an existing file: every POST after the first answered 500. Appending is what
# an LRS does; the launcher sets that, then serves Ralph's own ASGI app.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LRS:
    def __init__(self, directory, port: int):
        self.directory = directory
        self.port = port
        self.root = f"http://127.0.0.1:{port}"
        self.endpoint = self.root + "/xAPI"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.directory / "app"),
            "RALPH_AUTH_FILE": str(self.directory / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.directory / "data"),
            "RALPH_SENTRY_DSN": "",
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-c", LAUNCH, str(self.port)],
            env=env,
            cwd=self.directory,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.root + "/__heartbeat__", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("Ralph's LRS exited at start")
            time.sleep(0.2)
        raise RuntimeError("Ralph's LRS did not answer within a minute")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def clear(self) -> None:
        for path in (self.directory / "data").glob("*"):
            path.unlink()

    def statements(self, **params) -> list[dict]:
        found, url, query = [], self.endpoint + "/statements", {"limit": 500, **params}
        while url:
            answer = requests.get(
                url,
                params=query,
                auth=(USERNAME, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            answer.raise_for_status()
            body = answer.json()
            found += body["statements"]
            url, query = (self.root + body["more"], None) if body.get("more") else (None, None)
        return found


@pytest.fixture(scope="session")
def lrs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ralph")
    (directory / "data").mkdir()
    (directory / "app").mkdir()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    (directory / "auth.json").write_text(
        json.dumps(
            [
                {
                    "agent": {"mbox": "mailto:kefu-lrs@example.com"},
                    "scopes": ["all"],
                    "hash": hashed,
                    "username": USERNAME,
                }
            ]
        )
    )
    server = LRS(directory, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def xapi_lrs(lrs, settings):
    """The running LRS, emptied, with the settings pointing at it."""
    lrs.clear()
    settings.XAPI = {
        **settings.XAPI,
        "endpoint": lrs.endpoint,
        "username": USERNAME,
        "password": PASSWORD,
    }
    settings.PUBLIC_BASE_URL = "https://academy.example.com"
    return lrs
