"""Pages, the Wagtail admin and the API docs work under the Content-Security-Policy: the
open_page fixture fails a test on any violation the browser reports."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, log_in, screenshot
from tests.factories import PASSWORD, UserFactory, build_course, build_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/snippets/quizzes/question/",
    "/admin/snippets/quizzes/quiz/",
    "/admin/snippets/roleplays/scenario/",
    "/admin/snippets/roleplays/scenario/add/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/certificate-tools/",
    "/admin/login-locks/",
]


def test_the_admin_and_the_api_docs_run_under_the_policy(open_page):
    from courses.models import LessonPage

    build_course(modules=1, lessons_per_module=1)
    build_quiz()
    UserFactory(username="teacher", roles=["learner", "trainer"])
    lesson = LessonPage.objects.get()
    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")
    for path in [*ADMIN_PAGES, f"/admin/pages/{lesson.id}/edit/"]:
        response = admin.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(admin.locator("main, #main").first).to_be_visible()
        admin.wait_for_load_state("networkidle")
    # the lesson editor's preview panel frames the site itself
    admin.locator("[data-side-panel-toggle='preview']").click()
    expect(admin.frame_locator("iframe.w-preview__iframe >> nth=-1").locator("h1")).to_be_visible()
    screenshot(admin, "csp-lesson-preview")

    docs = open_page(DESKTOP)
    docs.goto("/api/v1/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_be_visible()
    docs.wait_for_load_state("networkidle")
