"""The admin's searches find Chinese inside longer text, on SQLite and PostgreSQL: questions,
quizzes, role-play scenarios, pages, staff, certificates and the quiz results."""

import datetime as dt

import pytest
from django.urls import reverse

from certification.models import Certificate
from courses.models import LessonPage, ModulePage
from tests.factories import StaffFactory, body, build_course, build_scenario
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(program):
    """The program's quiz 规范用语测验 with its questions 规范用语测验-0 … -3, a course with
    a lesson 前台电话礼仪速查, a scenario, staff and a certificate."""
    build_course(modules=1, lessons_per_module=1)
    ModulePage.objects.get(slug="module-1").add_child(
        instance=LessonPage(
            title="前台电话礼仪速查",
            slug="quick-ref",
            body=body(("paragraph", "<p>铃响三声之内接起，先问好再报单位。</p>")),
        )
    )
    build_scenario(
        leak_graph().to_dict(),
        title="报修三次没人来：楼上渗水",
        situation="卫生间天花板漏水，报修三次无人处理。",
    )
    holder = StaffFactory(name="郭晓燕", employee_number="FD0042", mobile="13800138000")
    StaffFactory(name="张晓明")
    Certificate.objects.create(
        program=program,
        user=holder.user,
        holder_name="郭晓燕",
        serial="KF-2026-000004",
        code="c" * 32,
        issued_on=dt.date(2026, 1, 5),
    )


def listed(client, url, query, attribute="name"):
    """What an admin listing searched for `query` shows, by `attribute`, in its order."""
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return [getattr(item, attribute) for item in response.context["page_obj"].object_list]


QUESTIONS = "/admin/snippets/quizzes/question/"


def test_question_bank_search_no_longer_fails_and_finds_every_numbered_question(
    admin_client, content
):
    # Was a 500 on SQLite: "no such column: name" (search_fields as FTS5 column filters).
    assert sorted(listed(admin_client, QUESTIONS, "测验")) == [
        f"规范用语测验-{n}" for n in range(4)
    ]
    assert listed(admin_client, QUESTIONS, "规范用语测验-2") == ["规范用语测验-2"]


def test_question_text_is_searched_too(admin_client, content):
    assert listed(admin_client, QUESTIONS, "电话铃") == ["规范用语测验-0"]
    assert listed(admin_client, QUESTIONS, "电话 投诉") == []


def test_quizzes_scenarios_staff_and_certificates(admin_client, content):
    assert listed(admin_client, "/admin/snippets/quizzes/quiz/", "用语", "title") == [
        "规范用语测验"
    ]
    scenarios = "/admin/snippets/roleplays/scenario/"
    found = ["报修三次没人来：楼上渗水"]
    assert listed(admin_client, scenarios, "渗水", "title") == found
    assert listed(admin_client, scenarios, "天花板", "title") == found
    staff = "/admin/snippets/staff/staffprofile/"
    assert listed(admin_client, staff, "晓燕") == ["郭晓燕"]
    assert sorted(listed(admin_client, staff, "晓")) == ["张晓明", "郭晓燕"]
    assert listed(admin_client, staff, "13800138000") == ["郭晓燕"]
    certificates = "/admin/snippets/certification/certificate/"
    for query in ("晓燕", "上岗认证", "000004"):
        assert listed(admin_client, certificates, query, "serial") == ["KF-2026-000004"]


def test_page_search_finds_a_word_inside_a_title_and_a_lesson_by_its_text(admin_client, content):
    url = reverse("wagtailadmin_pages:search")
    page = admin_client.get(url, {"q": "电话"}).content.decode()
    assert "前台电话礼仪速查" in page and "模块1第1课" not in page
    page = admin_client.get(url, {"q": "三声之内"}).content.decode()
    assert "前台电话礼仪速查" in page
    results = admin_client.get(reverse("wagtailadmin_pages:search_results"), {"q": "礼仪速查"})
    assert results.status_code == 200 and "前台电话礼仪速查" in results.content.decode()


def test_quiz_results_search_by_title(admin_client, content):
    url = reverse("quizzes_admin:results_index")
    page = admin_client.get(url, {"q": "测验"}).content.decode()
    assert "规范用语测验" in page
    page = admin_client.get(url, {"q": "投诉"}).content.decode()
    assert "规范用语测验" not in page
