"""The limits of academy.limits where people meet them: the question editor and the import
command and page. Each over-long value is refused with a message naming the limit, and
nothing is stored."""

import pytest
from academy.limits import (
    IMPORT_FILE_BYTES,
    OPTION_TEXT,
    OPTIONS,
    QUESTION_TEXT,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from quizzes import services
from quizzes.models import Question
from tests.factories import UserFactory, build_quiz

pytestmark = pytest.mark.django_db

TOO_BIG = b"// " + b"x" * IMPORT_FILE_BYTES  # one byte over, with the comment marker
FILE_TOO_BIG = "文件太大：最多 5 MB"


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


# --- importing -------------------------------------------------------------------------------


def test_the_import_command_refuses_a_file_too_large(tmp_path, capsys):
    path = tmp_path / "big.gift"
    path.write_bytes(TOO_BIG)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_questions", str(path), format="gift")
    assert FILE_TOO_BIG in capsys.readouterr().err
    assert not Question.objects.exists()


def test_the_import_command_refuses_megabytes_of_question_text(tmp_path, capsys):
    path = tmp_path / "long.gift"
    path.write_text("::长题::" + "长" * 1_500_000 + "{=对 ~错}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_questions", str(path), format="gift")
    assert f"题目内容太长：最多 {QUESTION_TEXT} 个字符" in capsys.readouterr().err
    assert not Question.objects.exists()


@pytest.mark.parametrize("name", ["big.gift", "big.xml"])
def test_the_import_page_refuses_a_file_too_large(trainer_client, name):
    response = trainer_client.post("/admin/quiz-tools/import/", {
        "file": SimpleUploadedFile(name, TOO_BIG), "format": "auto", "category": ""})
    assert response.status_code == 400
    assert FILE_TOO_BIG in page_text(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize("data", [TOO_BIG, TOO_BIG.decode()])
def test_the_import_service_refuses_a_file_too_large(data):
    with pytest.raises(services.ImportFailed, match=FILE_TOO_BIG):
        services.questions_import(data=data, fmt="gift")
    assert not Question.objects.exists()


def test_the_largest_default_mark_is_stored():
    xml = ('<?xml version="1.0"?><quiz><question type="essay"><name><text>问答</text></name>'
           "<questiontext><text>请回复</text></questiontext>"
           "<defaultgrade>999.99</defaultgrade></question></quiz>")
    services.questions_import(data=xml, fmt="moodlexml")
    assert str(Question.objects.get().default_mark) == "999.99"
