"""Self-service password reset as people meet it: the login page's link, one answer for
every request (existing account or not), the e-mailed link for staff imported without a
password, the reset code for staff without e-mail (a fake work-app channel, and the e-mail
channel), each refusal of a code, and the rate limits."""

import logging
import re
from datetime import timedelta

import pytest
from academy import login_throttle
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import delivery, notice
from accounts.models import NoticeAcceptance, ResetCode
from accounts.services import reset_code_issue
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "qianTai-2026-chun"
SENT = "/accounts/password-reset/sent/"
CODE_PAGE = "/accounts/password-reset/code/"
CODE_FINISH = "/accounts/password-reset/code/password/"


def imported(**fields):
    """A staff member as the roster import leaves them: no usable password."""
    person = StaffFactory(**fields)
    person.user.set_unusable_password()
    person.user.save()
    return person


@pytest.fixture
def mei(db):
    return imported(employee_number="E3001", name="李美", user__email="li.mei@example.com")


@pytest.fixture
def gang(db):
    return imported(employee_number="E3002", name="张刚", mobile="13800138000")


@pytest.fixture
def work_app(workchat, settings, gang):
    """WeCom configured (the fake server), and 张刚 — no e-mail — has a WeCom id: his reset
    code travels as a WeCom text card."""
    settings.REMINDER_CHANNELS = ["wecom", "email"]
    gang.wecom_userid = "zhanggang"
    gang.save()
    return workchat


def codes_sent(fake) -> list[str]:
    """The reset codes in the cards WeCom delivered to 张刚, oldest first."""
    return [
        re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", card["text"]).group(0)
        for card in fake.messages_to("zhanggang", "wecom")
    ]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def ask(client, identifier, **extra):
    return client.post("/accounts/password-reset/", {"identifier": identifier}, **extra)


def link_in(message) -> str:
    return re.search(r"http://[^/\s]+(/accounts/password-reset/link/\S+/)", message.body).group(1)


def set_password(client, url, password=NEW_PASSWORD, accept=True):
    data = {"new_password1": password, "new_password2": password}
    if accept:
        data["accept_notice"] = "on"
    return client.post(url, data)


def test_the_login_page_offers_the_reset(client):
    page = client.get("/accounts/login/").text
    assert 'href="/accounts/password-reset/"' in page and "忘记密码" in page
    form = client.get("/accounts/password-reset/").text
    assert "工号、用户名、邮箱或手机号" in form


def test_the_answer_is_the_same_whether_or_not_an_account_matches(client, mei, settings):
    # Tasks wait in a queue here, as with the production worker: what the page does is
    # all that its answer can show.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    answers = []
    for identifier in ("E3001", "E9999", "li.mei@example.com", "nobody@example.com"):
        other = client.__class__()
        with CaptureQueriesContext(connection) as queries:
            answer = ask(other, identifier)
        page = other.get(answer.url)
        page_text = CSRF.sub("", page.text)  # the footer's language form: new every time
        answers.append((answer.status_code, answer.url, len(queries), page.status_code, page_text))
    assert answers[0] == answers[1] and answers[2] == answers[3]
    assert answers[0][:2] == (302, SENT)
    assert "如果有账号与您输入的信息相符" in answers[0][4]
    assert [result.args[0] for result in default_task_backend.results] == [
        "E3001",
        "E9999",
        "li.mei@example.com",
        "nobody@example.com",
    ]
    assert mail.outbox == []  # nothing was sent during any of the requests


def test_staff_imported_without_a_password_reset_by_the_emailed_link(client, mei):
    answer = ask(client, "E3001")
    assert answer.status_code == 302 and answer.url == SENT
    [message] = mail.outbox
    assert message.to == ["li.mei@example.com"]
    assert "设置新密码" in message.subject and "李美" in message.body
    assert message.alternatives  # an HTML part too

    opened = client.get(link_in(message))
    assert opened.status_code == 302 and opened.url.endswith("/set-password/")  # token hidden
    form = client.get(opened.url)
    assert form.status_code == 200 and "个人信息" in form.text  # notice not yet accepted
    weak = set_password(client, opened.url, password="12345678")
    assert weak.status_code == 400 and "密码" in weak.text
    assert set_password(client, opened.url, accept=False).status_code == 400

    done = set_password(client, opened.url)
    assert done.status_code == 302 and done.url == "/"
    assert client.get("/").wsgi_request.user == mei.user
    user = get_user_model().objects.get(pk=mei.user_id)
    assert user.check_password(NEW_PASSWORD)
    assert NoticeAcceptance.objects.filter(user=user).exists()

    client.logout()
    again = client.get(link_in(message))
    assert again.status_code == 404 and "此链接已失效" in again.text


def test_a_person_who_accepted_the_notice_just_sets_the_password(client, mei):
    NoticeAcceptance.objects.create(
        user=mei.user, version=notice.VERSION, accepted_at=timezone.now()
    )
    ask(client, "li.mei@example.com")
    opened = client.get(link_in(mail.outbox[0]))
    assert "个人信息" not in client.get(opened.url).text
    assert set_password(client, opened.url, accept=False).status_code == 302


@pytest.mark.parametrize(
    "typed", ["E3001", "LI.MEI@example.com", " ｌｉ.ｍｅｉ＠example.com ", "meiuser"]
)
def test_every_way_of_naming_the_account_reaches_it(client, mei, typed):
    get_user_model().objects.filter(pk=mei.user_id).update(username="meiuser")
    ask(client, typed)
    assert [message.to for message in mail.outbox] == [["li.mei@example.com"]]


def test_staff_who_left_and_deactivated_accounts_get_nothing(client, mei):
    mei.active = False
    mei.save()
    retired = UserFactory(email="old@example.com", is_active=False)
    assert ask(client, "E3001").url == SENT
    assert ask(client, retired.email).url == SENT
    assert mail.outbox == []


def test_a_trainer_without_a_staff_record_resets_by_username(client):
    trainer = UserFactory(username="peixun", email="peixun@example.com", roles=["trainer"])
    ask(client, "peixun")
    assert [message.to for message in mail.outbox] == [[trainer.email]]


def test_staff_without_email_get_a_code_in_their_work_app_and_set_a_password(
    client, gang, work_app
):
    assert ask(client, "+86 138 0013 8000").url == SENT
    [card] = work_app.messages_to("zhanggang", "wecom")
    assert "重置码" in card["title"] and card["url"].endswith("/accounts/password-reset/code/")
    [code] = codes_sent(work_app)
    assert code.replace("-", "") not in ResetCode.objects.get().code_digest

    page = client.get(CODE_PAGE)
    assert 'value="+86 138 0013 8000"' in page.text  # what was typed, filled in again
    wrong = client.post(CODE_PAGE, {"identifier": "13800138000", "code": "ABCD-EFGH"})
    assert wrong.status_code == 404 and "账号与重置码不匹配" in wrong.text
    right = client.post(CODE_PAGE, {"identifier": "13800138000", "code": code.lower()})
    assert right.status_code == 302 and right.url == CODE_FINISH
    assert set_password(client, CODE_FINISH, password="12345678").status_code == 400
    done = set_password(client, CODE_FINISH)
    assert done.status_code == 302 and done.url == "/"
    assert get_user_model().objects.get(pk=gang.user_id).check_password(NEW_PASSWORD)

    client.logout()
    used = client.post(CODE_PAGE, {"identifier": "E3002", "code": code})
    assert used.status_code == 409 and "已使用" in used.text


def test_wrong_codes_for_an_unknown_account_read_like_wrong_codes_for_a_known_one(
    client, gang, work_app
):
    ask(client, "E3002")
    known = client.post(CODE_PAGE, {"identifier": "E3002", "code": "ABCD-EFGH"})
    unknown = client.post(CODE_PAGE, {"identifier": "E9999", "code": "ABCD-EFGH"})
    assert known.status_code == unknown.status_code == 404
    typed = re.compile(r'value="E\d+"')
    assert typed.sub("", CSRF.sub("", known.text)) == typed.sub("", CSRF.sub("", unknown.text))


def test_asking_again_voids_the_earlier_code(client, gang, work_app):
    ask(client, "E3002")
    ask(client, "E3002")
    first, second = codes_sent(work_app)
    old = client.post(CODE_PAGE, {"identifier": "E3002", "code": first})
    assert old.status_code == 409 and "取代" in old.text
    new = client.post(CODE_PAGE, {"identifier": "E3002", "code": second})
    assert new.status_code == 302


def test_too_many_wrong_codes_use_the_code_up(client, gang, work_app, settings):
    settings.PASSWORD_RESET = {**settings.PASSWORD_RESET, "code_wrong_tries": 3}
    ask(client, "E3002")
    [code] = codes_sent(work_app)
    for _ in range(3):
        client.post(CODE_PAGE, {"identifier": "E3002", "code": "ABCD-EFGH"})
    late = client.post(CODE_PAGE, {"identifier": "E3002", "code": code})
    assert late.status_code == 409 and "次数过多" in late.text


def test_a_code_expires(client, gang, settings):
    settings.PASSWORD_RESET = {**settings.PASSWORD_RESET, "code_minutes": 30}
    code, _row = reset_code_issue(user=gang.user, now=timezone.now() - timedelta(minutes=31))
    late = client.post(CODE_PAGE, {"identifier": "E3002", "code": code})
    assert late.status_code == 409 and "已过期" in late.text


def test_the_code_page_needs_a_checked_code_before_the_password(client, gang):
    assert client.get(CODE_FINISH).url == CODE_PAGE


def test_a_reset_code_travels_by_the_email_channel_and_works(client, db):
    # The e-mail channel is the one channel today: a code sent through it arrives as mail.
    person = imported(employee_number="E3003", name="王芳", user__email="wang.fang@example.com")
    code, row = reset_code_issue(user=person.user)
    assert delivery.send_reset_code(person.user, code, expires_at=row.expires_at)
    [message] = mail.outbox
    assert message.to == ["wang.fang@example.com"] and "重置码" in message.subject
    typed = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", message.body).group(0)
    assert typed.replace("-", "") == code
    checked = client.post(CODE_PAGE, {"identifier": "wang.fang@example.com", "code": typed})
    assert checked.status_code == 302
    assert set_password(client, CODE_FINISH).url == "/"


def test_nobody_is_reachable_without_email_or_a_work_app_id(client, gang, caplog):
    with caplog.at_level(logging.WARNING, logger="academy.security"):
        assert ask(client, "E3002").url == SENT
    assert mail.outbox == []
    assert "no channel reaches them" in caplog.text


@pytest.mark.usefixtures("frozen_rate_window")
def test_requests_are_rate_limited_per_client(client, mei, settings):
    settings.PASSWORD_RESET = {**settings.PASSWORD_RESET, "per_client_per_minute": 2}
    assert ask(client, "E9998").status_code == 302
    assert ask(client, "E9999").status_code == 302
    refused = ask(client, "E3001")
    assert refused.status_code == 429 and "过于频繁" in refused.text
    assert mail.outbox == []
    assert ask(client, "E3001", REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.usefixtures("frozen_rate_window")
def test_requests_are_rate_limited_per_account_from_any_address(client, mei, settings):
    settings.PASSWORD_RESET = {**settings.PASSWORD_RESET, "per_account_per_hour": 2}
    for n, identifier in enumerate(["li.mei@example.com", "LI.MEI@example.com"]):
        assert ask(client, identifier, REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    assert ask(client, "li.mei@example.com", REMOTE_ADDR="10.0.1.1").status_code == 429
    assert len(mail.outbox) == 2
    # An account nobody has is limited alike: the limit tells nothing either.
    for n in range(2):
        ask(client, "ghost@example.com", REMOTE_ADDR=f"10.0.2.{n}")
    assert ask(client, "ghost@example.com", REMOTE_ADDR="10.0.3.1").status_code == 429
    assert ask(client, "E3001", REMOTE_ADDR="10.0.4.1").status_code == 302


@pytest.mark.usefixtures("frozen_rate_window")
def test_typed_codes_are_rate_limited(client, gang, settings):
    settings.PASSWORD_RESET = {**settings.PASSWORD_RESET, "per_client_per_minute": 2}
    for _ in range(2):
        client.post(CODE_PAGE, {"identifier": "E3002", "code": "ABCD-EFGH"})
    refused = client.post(CODE_PAGE, {"identifier": "E3002", "code": "ABCD-EFGH"})
    assert refused.status_code == 429 and "过于频繁" in refused.text


def test_an_empty_request_is_refused_with_a_message(client):
    refused = ask(client, "   ")
    assert refused.status_code == 400 and "请输入工号" in refused.text


def test_the_admin_forgotten_password_form_reaches_imported_staff(client, mei):
    answer = client.post("/admin/password_reset/", {"email": "li.mei@example.com"})
    assert answer.status_code == 302
    assert [message.to for message in mail.outbox] == [["li.mei@example.com"]]


def test_a_reset_lifts_a_login_lock_on_the_account(client, mei, settings):
    username = mei.user.get_username()
    for _ in range(settings.LOGIN_THROTTLE["per_account"]):
        client.post("/accounts/login/", {"username": username, "password": "wrong-guess"})
    assert login_throttle.account_locked_until(username) is not None
    ask(client, "E3001")
    opened = client.get(link_in(mail.outbox[0]))
    set_password(client, opened.url)
    assert login_throttle.account_locked_until(username) is None
    client.logout()
    signed_in = client.post("/accounts/login/", {"username": username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
