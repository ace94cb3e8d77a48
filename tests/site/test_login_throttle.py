"""Too many wrong passwords lock the account (and, many more, the client address), for the
staff login and the Wagtail admin login alike; supervisors and trainers unlock; every failure
is logged."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import override_settings
from django.utils import timezone

from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

THROTTLE = {"per_account": 5, "per_client": 12, "minutes": 15}


@pytest.fixture(autouse=True)
def throttle():
    with override_settings(LOGIN_THROTTLE=THROTTLE):
        yield


def log_in(client, username, password, *, address="10.0.0.1", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sixty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client):
    person = StaffFactory(user__username="xiaolin")
    statuses = [log_in(client, "xiaolin", f"guess-{n}").status_code for n in range(60)]
    assert statuses[:4] == [401] * 4  # a wrong password, said as before
    assert set(statuses[4:]) == {429}  # the 5th failure locks; nothing is compared after
    refused = log_in(client, "xiaolin", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    page = refused.content.decode()
    until = timezone.localtime(
        AccessAttempt.objects.get().attempt_time + dt.timedelta(minutes=15)
    ).strftime("%H:%M")
    assert f"密码错误次数过多，登录已锁定至 {until}" in page and "主管或培训师" in page
    # failures while locked do not move the end of the lock
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert person.user.pk


def test_the_lock_ends_after_the_cool_off(client):
    StaffFactory(user__username="xiaolin")
    for n in range(5):
        log_in(client, "xiaolin", f"guess-{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert log_in(client, "xiaolin", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_locked_but_its_colleagues_only_later(client):
    for n in range(13):
        StaffFactory(user__username=f"staff{n}")
    # a service centre: a typo each from several people does not lock anybody out
    for n in range(4):
        assert log_in(client, f"staff{n}", "typo").status_code == 401
    assert log_in(client, "staff4", PASSWORD).status_code == 302
    client.logout()
    for n in range(5, 13):  # the 12th failure from this address locks the address
        log_in(client, f"staff{n}", "wrong")
    refused = log_in(client, "staff4", PASSWORD)
    assert refused.status_code == 429
    # the person's own account is not locked: the page says the network is, and who can help
    page = refused.content.decode()
    assert "此网络的密码错误次数过多" in page and "培训师" in page and "主管" not in page
    assert log_in(client, "staff4", PASSWORD, address="10.0.0.2").status_code == 302


def test_a_successful_login_clears_only_that_accounts_failures(client):
    StaffFactory(user__username="attacker")
    StaffFactory(user__username="victim")
    for n in range(4):
        log_in(client, "victim", f"guess-{n}")
    assert log_in(client, "attacker", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "victim", "guess-5").status_code == 429


def test_the_wagtail_admin_login_is_covered_too(client):
    UserFactory(username="trainer", roles=["trainer"])
    for n in range(5):
        log_in(client, "trainer", f"guess-{n}", url="/admin/login/")
    refused = log_in(client, "trainer", PASSWORD, url="/admin/login/")
    assert refused.status_code == 429 and "登录已锁定" in refused.content.decode()
    assert log_in(client, "trainer", PASSWORD).status_code == 429  # and the staff login


def test_failures_are_logged(client, caplog):
    StaffFactory(user__username="xiaolin")
    with caplog.at_level(logging.WARNING):
        for n in range(7):
            log_in(client, "xiaolin", f"guess-{n}")
    failures = [
        r
        for r in caplog.records
        if r.getMessage().startswith(("AXES: New login failure", "AXES: Repeated login failure"))
    ]
    assert len(failures) == 5 and "xiaolin" in failures[0].getMessage()
    assert any("Locking out" in r.getMessage() for r in caplog.records)
    refused = [r for r in caplog.records if r.name == "academy.security"]
    assert len(refused) == 3 and "xiaolin" in refused[-1].getMessage()  # the lock, 2 more
    assert "guess" not in caplog.text  # no password in the log
    logged = AccessFailureLog.objects.filter(username="xiaolin")
    assert logged.count() == 5 and logged.filter(locked_out=True).count() == 1


@pytest.fixture
def locked_team(client):
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    supervisor.supervised_sites.add(supervisor.site)
    mine = StaffFactory(user__username="mine", site=supervisor.site)
    other = StaffFactory(user__username="other")
    for username in ("mine", "other"):
        for n in range(5):
            log_in(client, username, f"guess-{n}")
    return supervisor, mine, other


def test_a_supervisor_sees_the_lock_and_unlocks_their_own_staff(client, locked_team):
    supervisor, mine, other = locked_team
    client.force_login(supervisor.user)
    page = client.get(f"/people/{mine.pk}/").content.decode()
    assert "登录已锁定" in page and f"/people/{mine.pk}/unlock-login/" in page
    assert client.post(f"/people/{other.pk}/unlock-login/").status_code == 404
    assert client.post(f"/people/{mine.pk}/unlock-login/").status_code == 302
    assert "登录已锁定" not in client.get(f"/people/{mine.pk}/").content.decode()
    client.logout()
    assert log_in(client, "mine", PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()
    assert log_in(client, "other", PASSWORD, address="10.0.0.9").status_code == 429


def test_a_learner_cannot_unlock_anyone(client, locked_team):
    _supervisor, mine, other = locked_team
    client.force_login(StaffFactory(site=mine.site, team=mine.team).user)
    assert client.post(f"/people/{mine.pk}/unlock-login/").status_code == 404
    assert AccessAttempt.objects.filter(username="mine").exists()


def test_a_trainer_lists_and_unlocks_locked_accounts_and_addresses(client, locked_team):
    _supervisor, mine, other = locked_team
    for n in range(12):
        log_in(client, f"nobody{n}", "x", address="10.9.9.9")
    client.force_login(UserFactory(username="trainer", roles=["trainer"]))
    page = client.get("/admin/login-locks/").content.decode()
    assert "mine" in page and mine.name in page and "other" in page and "10.9.9.9" in page
    client.post("/admin/login-locks/unlock/", {"username": "mine"})
    client.post("/admin/login-locks/unlock/", {"address": "10.9.9.9"})
    page = client.get("/admin/login-locks/").content.decode()
    assert 'value="mine"' not in page and 'value="10.9.9.9"' not in page
    assert 'value="other"' in page
    client.force_login(StaffFactory().user)
    assert client.post("/admin/login-locks/unlock/", {"username": "other"}).status_code == 403
