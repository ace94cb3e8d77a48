"""Course pages get readable (ASCII) slugs however they are saved, and pages saved with a
Chinese slug before that keep working: their old addresses redirect to the new ones."""

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from courses.models import LessonPage, ModulePage
from tests.courses.test_admin_authoring import lesson_form
from tests.factories import StaffFactory, UserFactory, body, build_course

pytestmark = pytest.mark.django_db


def add_lesson(module, title, slug=""):
    return module.add_child(
        instance=LessonPage(title=title, slug=slug, body=body(("heading", "要点")))
    )


def test_a_page_saved_without_a_slug_gets_the_pinyin_of_its_title(course):
    module = ModulePage.objects.order_by("path").first()
    lesson = add_lesson(module, "三声之内接起电话")
    assert lesson.slug == "san-sheng-zhi-nei-jie-qi-dian-hua"
    # a sibling with the same title is numbered, as Wagtail numbers its own slugs
    assert add_lesson(module, "三声之内接起电话").slug == "san-sheng-zhi-nei-jie-qi-dian-hua-2"
    # a slug the trainer chose in Latin letters is kept
    assert add_lesson(module, "接听电话", slug="answer-the-phone").slug == "answer-the-phone"


def test_a_draft_gets_a_pinyin_slug_too(course):
    module = ModulePage.objects.order_by("path").first()
    lesson = module.add_child(
        instance=LessonPage(title="电话礼仪草稿", live=False, body=body(("heading", "要点")))
    )
    assert lesson.slug == "dian-hua-li-yi-cao-gao"


def test_a_trainer_creating_a_lesson_in_the_admin_gets_a_pinyin_slug(client, course):
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    module = ModulePage.objects.order_by("path").first()
    # The admin's script fills the slug in from the title, keeping the Chinese.
    form = lesson_form("投诉处理的五个步骤", slug="投诉处理的五个步骤", **{"action-publish": "1"})
    response = client.post(f"/admin/pages/add/courses/lessonpage/{module.id}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title="投诉处理的五个步骤")
    assert lesson.slug == "tou-su-chu-li-de-wu-ge-bu-zhou" and lesson.live
    assert lesson.url_path.endswith("/tou-su-chu-li-de-wu-ge-bu-zhou/")
    # the draft the admin opens next has it too
    assert lesson.get_latest_revision_as_object().slug == lesson.slug
    # and the address works
    client.force_login(UserFactory(roles=["learner"]))
    assert client.get(f"{module.url}tou-su-chu-li-de-wu-ge-bu-zhou/").status_code == 200


def rename_as_before(page, slug):
    """Give `page` a slug the way pages were saved before slugs were made readable: straight
    in the database, with its and its descendants' URLs to match."""
    old = page.url_path
    new = old[: -len(page.slug) - 1] + slug + "/"
    for descendant in Page.objects.filter(path__startswith=page.path):
        Page.objects.filter(pk=descendant.pk).update(url_path=new + descendant.url_path[len(old) :])
    Page.objects.filter(pk=page.pk).update(slug=slug)


@pytest.mark.django_db(transaction=True)
def test_old_chinese_slugs_become_pinyin_and_the_old_addresses_redirect(client):
    # Transactional: Wagtail creates the redirects once each renaming has been committed.
    build_course()
    module = ModulePage.objects.order_by("path").first()
    lesson = LessonPage.objects.child_of(module).order_by("path").first()
    rename_as_before(lesson, "第一课")
    rename_as_before(module, "服务礼仪")
    client.force_login(StaffFactory().user)
    old_lesson_url = "/courses/%E6%9C%8D%E5%8A%A1%E7%A4%BC%E4%BB%AA/%E7%AC%AC%E4%B8%80%E8%AF%BE/"
    assert client.get(old_lesson_url).status_code == 200

    call_command("readable_slugs", stdout=open("/dev/null", "w"))  # noqa: SIM115

    module.refresh_from_db()
    lesson.refresh_from_db()
    assert (module.slug, lesson.slug) == ("fu-wu-li-yi", "di-yi-ke")
    assert lesson.url_path.endswith("/fu-wu-li-yi/di-yi-ke/")
    response = client.get(old_lesson_url)
    assert response.status_code == 301 and response.url == "/courses/fu-wu-li-yi/di-yi-ke/"
    response = client.get("/courses/服务礼仪/lesson-1-2/")  # typed, not encoded
    assert response.status_code == 301 and response.url == "/courses/fu-wu-li-yi/lesson-1-2/"
    assert client.get(response.url).status_code == 200
    # Running it again changes nothing.
    redirects = Redirect.objects.count()
    call_command("readable_slugs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Redirect.objects.count() == redirects
