"""A trainer writes a question in the Wagtail admin: the editor shows only the fields of the
chosen type, and the live preview beside it shows the question as learners will see it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, log_in, open_admin_editor, screenshot
from tests.factories import PASSWORD, UserFactory, ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The panel of each field that only some types use.
PANELS = {
    "options": "#panel-answers_choice-section",
    "accepted": "#panel-answers_accepted_answer-section",
    "steps": "#panel-answers_step-section",
    "case": "#panel-case_sensitive-section",
    "template": "#panel-reply_template-section",
}


def only_shown(page, *shown):
    for name, selector in PANELS.items():
        panel = page.locator(selector)
        if name in shown:
            expect(panel).to_be_visible()
        else:
            expect(panel).to_be_hidden()


def test_the_editor_follows_the_type_and_previews_what_learners_see(open_page):
    ensure_tree_roots()
    UserFactory(username="teacher", roles=["learner", "trainer"])
    admin = open_page(DESKTOP)
    log_in(admin, "teacher", PASSWORD, path="/admin/login/")
    open_admin_editor(admin, "/admin/snippets/quizzes/question/add/")

    admin.select_option("#id_kind", "shortanswer")
    only_shown(admin, "accepted", "case")
    admin.locator("#panel-text-section [contenteditable=true]").fill(
        "业主问物业费怎么交，您第一句说什么？"
    )
    # The text editor hands its text to its form field a moment later; the preview reads the
    # form when a field changes, so the title is typed once the text has arrived.
    expect(admin.locator("input[name=text]")).to_have_value(re.compile("业主问物业费怎么交"))
    admin.fill("#id_name", "物业费问询")

    admin.locator("[data-side-panel-toggle=preview]").click()
    preview = admin.frame_locator("#w-preview-iframe")
    expect(preview.locator("fieldset.q-shortanswer")).to_contain_text("业主问物业费怎么交")
    expect(preview.locator("fieldset.q-shortanswer input[type=text]")).to_be_visible()

    admin.select_option("#id_kind", "single")
    only_shown(admin, "options")
    admin.locator(f"{PANELS['options']} button.c-sf-add-button").first.click()
    admin.fill("#answers_choice-0-value-text", "您好，请问有什么可以帮您？")
    expect(preview.locator("fieldset.q-single label.option")).to_have_text(
        "您好，请问有什么可以帮您？"
    )
    expect(preview.locator("fieldset.q-single input[type=radio]")).to_have_count(1)
    screenshot(admin, "question-editor-preview")
