"""The client's address behind a configured number of proxies: the /verify/ rate limit and
the login throttle count per client, and a forged X-Forwarded-For changes nothing."""

import pytest
from academy.clients import client_address
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from tests.factories import StaffFactory

CODE_URL = "/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/"


def address(remote, forwarded=None, *, proxies):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(KEFU_TRUSTED_PROXIES=proxies):
        return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", None, 0, "203.0.113.7"),  # no proxy: the socket's peer
        ("203.0.113.7", "10.9.9.9", 0, "203.0.113.7"),  # forged header, no proxy: ignored
        ("10.0.0.2", "203.0.113.7", 1, "203.0.113.7"),  # nginx appended what it saw
        ("10.0.0.2", "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # forged entry on the left
        ("10.0.0.3", "203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),  # load balancer, then nginx
        ("10.0.0.2", None, 1, "10.0.0.2"),  # the proxy sent no header: the proxy itself
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),  # garbage is not an address
        ("10.0.0.2", "2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_client_address(remote, forwarded, proxies, expected):
    assert address(remote, forwarded, proxies=proxies) == expected


def look_up(client, forwarded, n):
    return [
        client.get(CODE_URL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code
        for _ in range(n)
    ]


@pytest.mark.django_db
@override_settings(KEFU_TRUSTED_PROXIES=1)
@pytest.mark.usefixtures("frozen_rate_window")
def test_behind_one_proxy_two_clients_have_their_own_verify_limits(client):
    assert look_up(client, "198.51.100.1", 31)[-2:] == [404, 429]
    # another client behind the same proxy is still served
    assert look_up(client, "198.51.100.2", 1) == [404]


@pytest.mark.django_db
@override_settings(KEFU_TRUSTED_PROXIES=0)
@pytest.mark.usefixtures("frozen_rate_window")
def test_without_a_trusted_proxy_a_forged_header_does_not_buy_more_look_ups(client):
    statuses = [
        client.get(
            CODE_URL, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}"
        ).status_code
        for n in range(31)
    ]
    assert statuses[-2:] == [404, 429]


@pytest.mark.django_db
@override_settings(KEFU_TRUSTED_PROXIES=1)
def test_the_login_throttle_records_the_client_behind_the_proxy(client):
    StaffFactory(user__username="xiaolin")
    client.post(
        "/accounts/login/",
        {"username": "xiaolin", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1",
    )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
