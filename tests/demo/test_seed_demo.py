"""seed_demo: the demo organisation, accounts and four modules, loaded idempotently."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.models import CertificateDesign, Program
from courses.models import LessonPage, ModulePage, ModuleQuiz
from demo.loader import load_modules, text_to_html
from quizzes.models import Question
from roleplays.models import Scenario
from staff.models import Company, Site, StaffProfile
from supervision.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def counts():
    return (
        StaffProfile.objects.count(),
        Site.objects.count(),
        ModulePage.objects.count(),
        LessonPage.objects.count(),
        LessonPage.objects.live().count(),
    )


def test_demo_has_what_the_readme_lists(seeded):
    """The README's numbers, exactly: if the demo changes, the README changes with it."""
    staff, sites, modules, lessons, live = counts()
    assert (Company.objects.count(), sites, staff) == (1, 2, 21)
    titles = list(ModulePage.objects.order_by("path").values_list("title", flat=True))
    assert titles == ["服务礼仪", "规范用语", "投诉处理", "应急处置"]
    content = {
        module.title: [lesson.title for lesson in module.lessons] for module in load_modules()
    }
    for module in ModulePage.objects.all():  # every lesson of the content files, published
        published = LessonPage.objects.child_of(module).live().order_by("path")
        assert list(published.values_list("title", flat=True)) == content[module.title]
    assert lessons == live
    # each module with a quiz; 59 questions; the 应急处置 quiz draws 10 at random
    quizzes = {p.module.title: p.quiz for p in ModuleQuiz.objects.select_related("module")}
    assert sorted(quizzes) == sorted(titles) and Question.objects.count() == 59
    assert [
        (slot.category_id is not None, slot.count) for slot in quizzes["应急处置"].slots.all()
    ] == [(True, 10)]
    assert Scenario.objects.count() == 3
    assert list(Program.objects.values_list("name", flat=True)) == ["前台客服上岗认证"]
    assert CertificateDesign.objects.get(default=True).seal is not None
    # assigned to two teams, one of them late
    today = timezone.localdate()
    assert sorted((a.team is not None, a.due_on < today) for a in Assignment.objects.all()) == [
        (True, False),
        (True, True),
    ]


def test_running_it_again_changes_nothing(seeded):
    before = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def log_in(client, username, password):
    """Through the login page, as a person does (the login throttle needs the request)."""
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, username
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_demo_accounts_log_in_with_the_readme_passwords(client, seeded):
    learner = log_in(client, "learner", "kefu-learner")
    trainer = log_in(client, "trainer", "kefu-trainer")
    supervisor = log_in(client, "supervisor", "kefu-supervisor")
    assert trainer.has_perm("wagtailadmin.access_admin")
    assert not learner.has_perm("wagtailadmin.access_admin")
    assert supervisor.has_perm("staff.view_supervised_staff")
    assert supervisor.staff_profile.supervised_sites.count() == 1
    # The second person a sealed certificate design needs before it goes live.
    approver = log_in(client, "approver", "kefu-approver")
    assert approver.groups.filter(name="certification_approver").exists()
    assert approver.has_perm("certification.publish_certificatedesign")
    assert not trainer.groups.filter(name="certification_approver").exists()
    # A certified colleague: her credential downloads from 我的证书.
    certified = log_in(client, "certified", "kefu-certified")
    certificate = certified.certificates.get()
    badge = reverse("my_badge", args=[certificate.pk])
    assert badge in client.get("/certificates/").content.decode()
    assert client.get(badge)["Content-Type"] == "application/vc+jwt"


def test_demo_lessons_teach_the_seed_facts(seeded):
    text = " ".join(str(lesson.body.raw_data) for lesson in LessonPage.objects.all())
    for fact in ["三声", "您好", "对不起", "首问", "回访", "电梯", "台风", "停电", "火"]:
        assert fact in text, fact


def test_demo_learner_sees_the_courses(client, seeded):
    log_in(client, "learner", "kefu-learner")
    home = client.get("/").content.decode()
    assert "林晓雯" in home and "服务礼仪" in home and "应急处置" in home
    lesson = LessonPage.objects.live().order_by("path").first()
    assert client.get(lesson.url).status_code == 200


def test_demo_lessons_render_their_phrase_cards_and_procedures(client, seeded):
    log_in(client, "learner", "kefu-learner")
    phone = LessonPage.objects.get(slug="telephone-etiquette")
    html = client.get(phone.url).content.decode()
    assert "三声" in html and "phrase-card" in html and "时限：" in html
    assert "'type'" not in html and "None" not in html  # list items render as text


def test_every_content_file_loads():
    modules = load_modules()
    assert len(modules) == 4
    kinds = {block["type"] for m in modules for lesson in m.lessons for block in lesson.body}
    assert {"paragraph", "phrase_card", "do_dont", "procedure", "callout"} <= kinds


def test_text_format():
    html = text_to_html("第一段 **重点**\n第二行\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n<script>")
    assert html == (
        "<p>第一段 <b>重点</b><br/>第二行</p><ul><li>甲</li><li>乙</li></ul>"
        "<ol><li>一</li><li>二</li></ol><p>&lt;script&gt;</p>"
    )


def test_demo_addresses_are_readable(client, seeded):
    """Every demo page and role-play has an ASCII slug: the address bar reads /courses/
    etiquette/…, not %E6%9C%8D…"""
    from wagtail.models import Page

    assert all(slug.isascii() for slug in Page.objects.values_list("slug", flat=True))
    assert sorted(Scenario.objects.values_list("slug", flat=True)) == [
        "ceiling-leak",
        "noise-complaint",
        "power-outage",
    ]
    log_in(client, "learner", "kefu-learner")
    assert client.get("/roleplays/ceiling-leak/").status_code == 200


def test_seeding_again_gives_older_demo_role_plays_their_english_slugs(client, seeded):
    """A demo loaded before the slugs were readable had Chinese ones: seeding again renames
    them, and the old address redirects."""
    scenario = Scenario.objects.get(slug="ceiling-leak")
    Scenario.objects.filter(pk=scenario.pk).update(slug="报修三次没人来")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    scenario.refresh_from_db()
    assert scenario.slug == "ceiling-leak" and Scenario.objects.count() == 3
    log_in(client, "learner", "kefu-learner")
    response = client.get("/roleplays/报修三次没人来/")
    assert response.status_code == 301 and response.url == "/roleplays/ceiling-leak/"


def test_the_emergency_module_makes_the_emergency_cards(client, seeded):
    assert [m.slug for m in load_modules() if m.emergency_cards] == ["emergency"]
    assert list(ModulePage.objects.filter(emergency_cards=True).values_list("slug", flat=True)) == [
        "emergency"
    ]
    log_in(client, "learner", "kefu-learner")
    html = client.get("/emergency/").content.decode()
    for title in [
        "台风与暴雨",
        "高温与暴雪",
        "停水停电",
        "火情处置",
        "电梯困人",
        "群体投诉与媒体到场",
    ]:
        assert f">{title}</a>" in html, title
    assert "电梯困人处置" in html and "时限：" in html and "更新于" in html


def test_a_demo_seeded_before_the_flag_gets_it(seeded):
    ModulePage.objects.filter(slug="emergency").update(emergency_cards=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ModulePage.objects.get(slug="emergency").emergency_cards
