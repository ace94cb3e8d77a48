"""Permissions kept in the cache between requests: fewer queries per page, and a role change
still takes effect on the very next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.roles import SUPERVISOR, TRAINER
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def permission_queries(client, path="/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return sum("auth_permission" in q["sql"] for q in queries.captured_queries), page


def test_a_signed_in_page_reads_permissions_once_then_from_the_cache(client):
    person = StaffFactory()
    client.force_login(person.user)
    first, _page = permission_queries(client)
    again, _page = permission_queries(client)
    assert first == 2  # user and group permissions, as Django's ModelBackend reads them
    assert again == 0


def test_joining_and_leaving_a_group_shows_at_once(client):
    person = StaffFactory()
    client.force_login(person.user)
    _n, page = permission_queries(client)
    assert "认证看板" not in page and "/admin/" not in page
    person.user.groups.add(Group.objects.get(name=SUPERVISOR))
    _n, page = permission_queries(client)
    assert "认证看板" in page
    person.user.groups.remove(Group.objects.get(name=SUPERVISOR))
    _n, page = permission_queries(client)
    assert "认证看板" not in page
    assert client.get(reverse("dashboard")).status_code == 404  # as for any non-supervisor


def test_a_permission_taken_from_a_group_is_gone_on_the_next_request(client):
    person = StaffFactory(user__roles=["learner", TRAINER])
    client.force_login(person.user)
    assert client.get("/admin/").status_code == 200
    Group.objects.get(name=TRAINER).permissions.remove(
        Permission.objects.get(codename="access_admin")
    )
    assert client.get("/admin/").status_code == 403


def test_deactivating_or_demoting_a_superuser_needs_no_signal(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200
    django_user_model.objects.filter(pk=boss.pk).update(is_superuser=False)  # no signal sent
    assert client.get("/admin/").status_code == 403


def test_adding_someone_to_a_group_keeps_everyone_elses_permissions_cached(client):
    person = StaffFactory()
    client.force_login(person.user)
    permission_queries(client)
    StaffFactory()  # a new learner joins the learner group
    assert permission_queries(client)[0] == 0


def test_a_group_emptied_at_once_takes_effect_for_its_former_members(client):
    person = StaffFactory(user__roles=["learner", SUPERVISOR])
    client.force_login(person.user)
    assert "认证看板" in permission_queries(client)[1]
    Group.objects.get(name=SUPERVISOR).user_set.clear()
    assert "认证看板" not in permission_queries(client)[1]
