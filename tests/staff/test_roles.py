"""The three roles exist with real permissions, and the admin keeps learners out."""

import pytest
from django.contrib.auth.models import Group

from courses.models import LessonPage
from tests.factories import StaffFactory, UserFactory, build_course

pytestmark = pytest.mark.django_db


def perms(role):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_role_groups_carry_least_privilege():
    assert perms("learner") == {"courses.add_lessonprogress"}
    assert "wagtailadmin.access_admin" in perms("trainer")
    assert "staff.view_supervised_staff" in perms("supervisor")
    assert "wagtailadmin.access_admin" not in perms("supervisor") | perms("learner")


def test_learner_opening_the_admin_gets_403(client):
    client.force_login(StaffFactory().user)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "没有" in response.content.decode()  # "no access", in Chinese
    response = client.get("/admin/pages/")
    assert response.status_code == 403


def test_anonymous_admin_visit_goes_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_trainer_can_edit_course_pages(client):
    index = build_course()
    trainer = UserFactory(roles=["learner", "trainer"])
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200
    lesson = LessonPage.objects.child_of(index.get_children().first()).first()
    assert client.get(f"/admin/pages/{lesson.id}/edit/").status_code == 200
    # ... but trainers do not manage staff records
    assert client.get("/admin/snippets/staff/staffprofile/").status_code in (302, 403)
