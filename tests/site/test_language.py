"""The UI is Chinese by default and English on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_in_chinese_then_english(client):
    assert "登录" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page and 'lang="en"' in page


def test_browser_language_alone_does_not_switch_to_english(client):
    page = client.get("/accounts/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "登录" in page.content.decode() and page["Content-Language"] == "zh-hans"
