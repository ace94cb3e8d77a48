"""In the browser: a certified member of staff downloads her digital badge from 我的证书 at
phone width, and the file verifies against the keys the site publishes."""

from datetime import date

import jwt
import pytest
from playwright.sync_api import expect

from certification.services import certificate_issue
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_holder_downloads_a_badge_that_verifies_with_the_published_keys(
    open_page, live_server, settings, tmp_path, program
):
    settings.KEFU_BADGE_KEYS = ""
    settings.KEFU_BADGE_KEY_FILE = tmp_path / "private" / "badge-keys.json"
    settings.PUBLIC_BASE_URL = live_server.url
    holder = StaffFactory(name="陈思琪")
    certificate_issue(user=holder.user, program=program, today=date.today())
    page = open_page(PHONE)
    log_in(page, holder.user.username, PASSWORD)
    page.goto("/certificates/")
    link = page.get_by_role("link", name="下载数字徽章 (Open Badges 3.0)")
    expect(link).to_be_visible()
    screenshot(page, "badge-download")
    with page.expect_download() as download:
        link.click()
    token = open(download.value.path(), encoding="utf-8").read()

    keys = page.request.get("/.well-known/jwks.json").json()
    key = jwt.PyJWKSet.from_dict(keys)[jwt.get_unverified_header(token)["kid"]].key
    claims = jwt.decode(token, key, algorithms=["EdDSA"])
    assert "OpenBadgeCredential" in claims["type"]
    assert claims["credentialSubject"]["achievement"]["name"] == program.name
