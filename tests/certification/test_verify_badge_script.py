"""The README's verification script checks a downloaded credential against the live site's
published keys and revocation list, with no account and no code of ours."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from certification.services import certificate_issue, certificate_revoke
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_badge.py"


def verify(path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, our own file
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_readme_script_verifies_a_credential_and_sees_its_revocation(
    client, settings, tmp_path, live_server, program
):
    settings.KEFU_BADGE_KEYS = ""
    settings.KEFU_BADGE_KEY_FILE = tmp_path / "private" / "badge-keys.json"
    settings.PUBLIC_BASE_URL = live_server.url
    supervisor = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    supervisor.supervised_sites.add(supervisor.site)
    holder = StaffFactory(site=supervisor.site, team=supervisor.team)
    certificate = certificate_issue(user=holder.user, program=program, today=date.today())
    client.force_login(holder.user)
    badge = tmp_path / "badge.jwt"
    badge.write_bytes(client.get(reverse("my_badge", args=[certificate.pk])).content)

    valid = verify(badge)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert valid.stdout.startswith("VALID")

    certificate_revoke(certificate=certificate, by=supervisor.user, reason="复核发现代答")
    revoked = verify(badge)
    assert revoked.returncode != 0
    assert revoked.stdout.startswith("REVOKED")
