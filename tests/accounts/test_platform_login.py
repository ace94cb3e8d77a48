"""Logging in with WeCom and DingTalk against the fake platforms: a member of staff is matched
by the user id in the roster and lands where they were going; every refusal (not on the
roster, outside the company, switched off, a return we did not start, a code used twice,
the platform down) says what to do, answers 4xx (502 when the platform failed) and creates
nothing."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db
WECOM_APP = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
)


def start(client, platform: str, **form) -> str:
    """Press the platform's button on the login page; the address it leads to."""
    response = client.post(f"/accounts/{platform}/login/", form)
    assert response.status_code == 302, response.content
    return response["Location"]


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def scan(login_page: str, userid: str) -> str:
    """On the fake platform's login page, `userid` scans the QR code (the tester types who):
    the address the platform sends the browser back to."""
    page = requests.get(login_page, timeout=10)
    assert page.status_code == 200 and "确认登录" in page.text
    confirm = "/wwlogin/sso/confirm" if "/wwlogin/" in login_page else "/oauth2/confirm"
    parts = urlsplit(login_page)
    answer = requests.get(
        f"{parts.scheme}://{parts.netloc}{confirm}",
        params={**query(login_page), "userid": userid},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def come_back(client, callback: str, **headers):
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", **headers)


def log_in_with(client, platform: str, userid: str, **form):
    return come_back(client, scan(start(client, platform, **form), userid))


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def zhang(db):
    return StaffFactory(
        user__username="E10001", name="张敏", wecom_userid="zhangmin", dingtalk_userid="zm-0931"
    )


def nothing_created(users_before: int) -> bool:
    return (
        get_user_model().objects.count() == users_before
        and not SocialAccount.objects.exists()
        and not SocialToken.objects.exists()
    )


# --- the buttons -----------------------------------------------------------------------------


def test_the_buttons_show_only_for_configured_platforms(client, settings):
    settings.WECOM = {**settings.WECOM, "corp_id": ""}
    settings.DINGTALK = {**settings.DINGTALK, "app_key": ""}
    page = client.get("/accounts/login/")
    text = page.content.decode()
    assert "企业微信登录" not in text and "钉钉登录" not in text
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"
    assert client.post("/accounts/wecom/login/").status_code == 404
    assert client.get("/accounts/dingtalk/login/callback/").status_code == 404


def test_the_login_page_offers_both_and_lets_their_forms_reach_the_platforms(client, workchat):
    page = client.get("/accounts/login/?next=/certificates/")
    text = page.content.decode()
    assert "企业微信登录" in text and "钉钉登录" in text
    assert text.count('name="next" value="/certificates/"') == 3  # password form and both
    form_action = next(
        rule for rule in page["Content-Security-Policy"].split(";") if "form-action" in rule
    )
    assert form_action.split()[1:] == ["'self'", workchat.url]


def test_only_the_configured_platform_shows(client, workchat, settings):
    settings.DINGTALK = {**settings.DINGTALK, "app_secret": ""}
    text = client.get("/accounts/login/").content.decode()
    assert "企业微信登录" in text and "钉钉登录" not in text


def test_a_login_starts_only_from_the_button_not_from_a_link(client, workchat):
    response = client.get("/accounts/wecom/login/?next=/certificates/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcertificates%2F"


def test_allauth_signup_and_account_pages_do_not_exist(client, workchat):
    for path in ["/accounts/signup/", "/accounts/3rdparty/", "/accounts/social/signup/"]:
        assert client.get(path).status_code == 404, path


# --- WeCom -----------------------------------------------------------------------------------


def test_a_browser_gets_the_qr_login_with_our_app_and_return_address(client, workchat):
    location = start(client, "wecom")
    assert location.startswith(workchat.url + "/wwlogin/sso/login?")
    params = query(location)
    assert params["login_type"] == "CorpApp"
    assert params["appid"] == workchat.wecom_settings()["corp_id"]
    assert params["agentid"] == workchat.wecom_settings()["agent_id"]
    assert params["redirect_uri"] == "http://testserver/accounts/wecom/login/callback/"
    assert len(params["state"]) >= 16


def test_a_member_on_the_roster_logs_in_and_lands_where_they_were_going(client, workchat, zhang):
    users = get_user_model().objects.count()
    landed = log_in_with(client, "wecom", "zhangmin", next="/certificates/")
    assert landed.status_code == 302 and landed["Location"] == "/certificates/"
    assert signed_in_as(client) == str(zhang.user.pk)
    assert nothing_created(users)
    assert client.get("/").status_code == 200


def test_without_next_they_land_on_their_home(client, workchat, zhang):
    landed = log_in_with(client, "wecom", "zhangmin")
    assert landed["Location"] == "/"


def test_a_next_leading_off_the_site_is_ignored(client, workchat, zhang):
    landed = log_in_with(client, "wecom", "zhangmin", next="https://evil.example/")
    assert landed["Location"] == "/"


def test_an_id_not_on_the_roster_is_refused_and_told_what_to_do(client, workchat, zhang, caplog):
    users = get_user_model().objects.count()
    with caplog.at_level(logging.WARNING, logger="academy.security"):
        refused = log_in_with(client, "wecom", "lisi", next="/certificates/")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "无法用企业微信登录" in text
    assert "“lisi”" in text and "不在员工名册里" in text and "请让主管" in text
    # The way to the password form, still going where the person was going.
    assert 'href="/accounts/login/?password=1&amp;next=%2Fcertificates%2F"' in text
    assert signed_in_as(client) is None and nothing_created(users)
    assert "wecom login refused (not on the roster): userid 'lisi'" in caplog.text


def test_a_wecom_id_is_never_matched_by_username_or_name(client, workchat):
    person = StaffFactory(user__username="wangfang", name="wangfang")  # no WeCom id in roster
    refused = log_in_with(client, "wecom", "wangfang")
    assert refused.status_code == 403 and signed_in_as(client) is None
    assert person.user.pk  # still there, untouched


def test_someone_outside_the_company_is_refused(client, workchat, zhang):
    workchat.outsiders.add("visitor")
    refused = log_in_with(client, "wecom", "visitor")
    assert refused.status_code == 403
    assert "不是本公司企业微信的成员" in refused.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.parametrize("switched_off", ["profile", "user"])
def test_staff_switched_off_are_refused(client, workchat, zhang, switched_off):
    if switched_off == "profile":
        zhang.active = False
        zhang.save()
    else:
        zhang.user.is_active = False
        zhang.user.save()
    refused = log_in_with(client, "wecom", "zhangmin")
    assert refused.status_code == 403 and "账号已停用" in refused.content.decode()
    assert signed_in_as(client) is None


def test_a_return_this_browser_did_not_start_is_refused_before_asking_wecom(
    client, workchat, zhang
):
    code = workchat.code_for("wecom", "zhangmin")
    forged = client.get("/accounts/wecom/login/callback/", {"code": code, "state": "forged"})
    assert forged.status_code == 400
    assert "这次登录已过期" in forged.content.decode()
    assert signed_in_as(client) is None
    assert not [r for r in workchat.requests if r["path"] == "/cgi-bin/auth/getuserinfo"]


def test_a_return_started_in_another_browser_is_refused(client, workchat, zhang, django_user_model):
    from django.test import Client

    callback = scan(start(client, "wecom"), "zhangmin")
    other = Client()
    refused = come_back(other, callback)
    assert refused.status_code == 400 and other.session.get("_auth_user_id") is None


def test_each_return_works_once(client, workchat, zhang):
    callback = scan(start(client, "wecom"), "zhangmin")
    assert come_back(client, callback).status_code == 302
    client.post("/accounts/logout/")
    again = come_back(client, callback)
    assert again.status_code == 400 and signed_in_as(client) is None


def test_a_replayed_code_is_refused_by_wecom(client, workchat, zhang):
    callback = scan(start(client, "wecom"), "zhangmin")
    assert come_back(client, callback).status_code == 302
    client.post("/accounts/logout/")
    fresh_state = query(start(client, "wecom"))["state"]
    old_code = query(callback)["code"]
    replayed = client.get(
        "/accounts/wecom/login/callback/", {"code": old_code, "state": fresh_state}
    )
    assert replayed.status_code == 400
    assert "已经用过" in replayed.content.decode() and signed_in_as(client) is None


def test_wecom_down_is_said_and_logged(client, workchat, zhang, caplog):
    callback = scan(start(client, "wecom", next="/certificates/"), "zhangmin")
    workchat.fail_next("/cgi-bin/auth/getuserinfo", status=503)
    with caplog.at_level(logging.WARNING, logger="academy.security"):
        failed = come_back(client, callback)
    assert failed.status_code == 502
    text = failed.content.decode()
    assert "暂时无法连接企业微信" in text
    assert 'href="/accounts/login/?next=%2Fcertificates%2F"' in text  # start again
    assert "wecom login failed (platform failed)" in caplog.text
    assert signed_in_as(client) is None


@pytest.mark.usefixtures("frozen_rate_window")
def test_returns_are_rate_limited_per_client(client, workchat, zhang, settings):
    settings.PLATFORM_LOGIN = {"per_client_per_minute": 2}
    for _ in range(2):
        client.get("/accounts/wecom/login/callback/", {"code": "x", "state": "y"})
    limited = log_in_with(client, "wecom", "zhangmin")
    assert limited.status_code == 429 and signed_in_as(client) is None


def test_a_password_lock_does_not_keep_the_person_out_of_wecom(client, workchat, zhang, settings):
    settings.LOGIN_THROTTLE = {"per_account": 3, "per_client": 50, "minutes": 15}
    for n in range(3):
        client.post("/accounts/login/", {"username": "E10001", "password": f"guess-{n}"})
    locked = client.post("/accounts/login/", {"username": "E10001", "password": PASSWORD})
    assert locked.status_code == 429
    assert log_in_with(client, "wecom", "zhangmin").status_code == 302
    assert signed_in_as(client) == str(zhang.user.pk)


# --- inside the WeCom app ----------------------------------------------------------------------


def test_inside_the_wecom_app_the_login_page_signs_the_member_in_silently(client, workchat, zhang):
    workchat.signed_in["wecom"] = "zhangmin"
    page = client.get("/accounts/login/?next=/certificates/", HTTP_USER_AGENT=WECOM_APP)
    assert page.status_code == 302
    oauth = page["Location"]
    assert oauth.startswith(workchat.url + "/connect/oauth2/authorize?")
    assert oauth.endswith("#wechat_redirect")
    assert query(oauth.split("#")[0])["scope"] == "snsapi_base"
    back = requests.get(oauth.split("#")[0], allow_redirects=False, timeout=10)
    landed = come_back(client, back.headers["Location"], HTTP_USER_AGENT=WECOM_APP)
    assert landed["Location"] == "/certificates/"
    assert signed_in_as(client) == str(zhang.user.pk)


def test_inside_the_wecom_app_the_password_form_stays_reachable(client, workchat):
    page = client.get("/accounts/login/?password=1", HTTP_USER_AGENT=WECOM_APP)
    assert page.status_code == 200 and 'name="password"' in page.content.decode()


def test_a_browser_outside_wecom_gets_the_login_page(client, workchat):
    assert client.get("/accounts/login/").status_code == 200


# --- DingTalk ----------------------------------------------------------------------------------


def test_a_member_on_the_roster_logs_in_with_dingtalk(client, workchat, zhang):
    users = get_user_model().objects.count()
    location = start(client, "dingtalk", next="/certificates/")
    assert location.startswith(workchat.url + "/oauth2/auth?")
    params = query(location)
    assert params["client_id"] == workchat.dingtalk_settings()["app_key"]
    assert params["redirect_uri"] == "http://testserver/accounts/dingtalk/login/callback/"
    assert params["response_type"] == "code" and params["prompt"] == "consent"
    callback = scan(location, "zm-0931")
    assert "authCode=" in callback
    landed = come_back(client, callback)
    assert landed.status_code == 302 and landed["Location"] == "/certificates/"
    assert signed_in_as(client) == str(zhang.user.pk)
    assert nothing_created(users)
    looked_up = [r for r in workchat.requests if r["path"] == "/topapi/user/getbyunionid"]
    assert [r["body"] for r in looked_up] == [{"unionid": "union-zm-0931"}]


def test_a_dingtalk_id_not_on_the_roster_is_refused(client, workchat, zhang):
    refused = log_in_with(client, "dingtalk", "zhangmin")  # the WeCom id, not the DingTalk one
    assert refused.status_code == 403
    assert "你的钉钉账号（“zhangmin”）不在员工名册里" in refused.content.decode()


def test_someone_outside_the_company_on_dingtalk_is_refused(client, workchat, zhang):
    workchat.outsiders.add("zm-0931")
    refused = log_in_with(client, "dingtalk", "zm-0931")
    assert refused.status_code == 403 and "不是本公司钉钉的成员" in refused.content.decode()
    assert signed_in_as(client) is None


def test_a_dingtalk_code_used_twice_is_refused(client, workchat, zhang):
    callback = scan(start(client, "dingtalk"), "zm-0931")
    assert come_back(client, callback).status_code == 302
    client.post("/accounts/logout/")
    fresh_state = query(start(client, "dingtalk"))["state"]
    replayed = client.get(
        "/accounts/dingtalk/login/callback/",
        {"authCode": query(callback)["authCode"], "state": fresh_state},
    )
    assert replayed.status_code == 400 and "已经用过" in replayed.content.decode()


def test_dingtalk_down_is_said(client, workchat, zhang):
    callback = scan(start(client, "dingtalk"), "zm-0931")
    workchat.fail_next("/topapi/user/getbyunionid", errcode=-1)
    failed = come_back(client, callback)
    assert failed.status_code == 502 and "暂时无法连接钉钉" in failed.content.decode()
