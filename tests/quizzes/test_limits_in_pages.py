"""The limits of academy.limits where people meet them: the question editor. Each over-long
value is refused with a message naming the limit, and nothing is stored."""

import pytest
from academy.limits import OPTION_TEXT, OPTIONS, QUESTION_TEXT
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.factories import UserFactory, build_quiz

pytestmark = pytest.mark.django_db

@pytest.fixture
def trainer_client(client, db):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


def page_text(response) -> str:
    return response.content.decode()


# --- the question editor ---------------------------------------------------------------------


def question_form(question, *, text="问？", options=(("对", 100), ("错", 0))):
    return nested_form_data({
        "name": question.name, "kind": question.kind, "category": question.category_id,
        "default_mark": "1", "text": rich_text(text),
        "answers": streamfield([
            ("choice", {"text": t, "percent": str(p), "feedback": ""}) for t, p in options
        ]),
        "general_feedback": rich_text(""),
    })


def edit(client, question, **form):
    return client.post(f"/admin/snippets/quizzes/question/edit/{question.pk}/",
                       question_form(question, **form))


def test_the_editor_refuses_more_options_than_a_question_may_hold(trainer_client):
    question = build_quiz(specs=("phone",)).slots.get().question
    options = [("对", 100)] + [(f"错{n}", 0) for n in range(OPTIONS)]
    response = edit(trainer_client, question, options=options)
    assert response.status_code == 200
    assert str(OPTIONS) in page_text(response)
    assert question.versions.count() == 1


def test_the_editor_refuses_an_option_too_long(trainer_client):
    question = build_quiz(specs=("phone",)).slots.get().question
    response = edit(trainer_client, question, options=(("对" * (OPTION_TEXT + 1), 100), ("错", 0)))
    assert response.status_code == 200
    assert str(OPTION_TEXT) in page_text(response)
    assert question.versions.count() == 1


def test_the_editor_refuses_a_question_text_too_long(trainer_client):
    question = build_quiz(specs=("phone",)).slots.get().question
    response = edit(trainer_client, question, text="长" * QUESTION_TEXT)
    assert response.status_code == 200
    assert f"题目内容太长：最多 {QUESTION_TEXT} 个字符" in page_text(response)
    assert question.versions.count() == 1


def test_the_editor_form_says_the_limits(trainer_client):
    page = page_text(trainer_client.get("/admin/snippets/quizzes/question/add/"))
    # the blocks' definitions, as JSON in an attribute
    assert f"maxlength=\\&quot;{OPTION_TEXT}\\&quot;" in page
    assert f"&quot;maxNum&quot;: {OPTIONS}," in page
