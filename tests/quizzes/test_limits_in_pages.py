"""The limits of academy.limits where people meet them: the question editor, the import
command and page, a learner's answers and a trainer's comment. Each over-long value is
refused with a message naming the limit, and nothing is stored."""

import pytest
from academy.errors import Kind
from academy.limits import (
    GRADER_COMMENT,
    IMPORT_FILE_BYTES,
    OPTION_TEXT,
    OPTIONS,
    QUESTION_TEXT,
    SHORT_ANSWER,
    WRITTEN_REPLY,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from quizzes import services
from quizzes.models import AttemptQuestion, Question
from tests.factories import UserFactory, build_quiz
from tests.quizzes.test_attempts import autosave, start

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
    return nested_form_data(
        {
            "name": question.name,
            "kind": question.kind,
            "category": question.category_id,
            "default_mark": "1",
            "text": rich_text(text),
            "answers_choice": streamfield(
                [("choice", {"text": t, "percent": str(p), "feedback": ""}) for t, p in options]
            ),
            "general_feedback": rich_text(""),
        }
    )


def edit(client, question, **form):
    return client.post(
        f"/admin/snippets/quizzes/question/edit/{question.pk}/", question_form(question, **form)
    )


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
    response = trainer_client.post(
        "/admin/quiz-tools/import/",
        {"file": SimpleUploadedFile(name, TOO_BIG), "format": "auto", "category": ""},
    )
    assert response.status_code == 400
    assert FILE_TOO_BIG in page_text(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize("data", [TOO_BIG, TOO_BIG.decode()])
def test_the_import_service_refuses_a_file_too_large(data):
    with pytest.raises(services.ImportFailed, match=FILE_TOO_BIG):
        services.questions_import(data=data, fmt="gift")
    assert not Question.objects.exists()


def test_the_largest_default_mark_is_stored():
    xml = (
        '<?xml version="1.0"?><quiz><question type="essay"><name><text>问答</text></name>'
        "<questiontext><text>请回复</text></questiontext>"
        "<defaultgrade>999.99</defaultgrade></question></quiz>"
    )
    services.questions_import(data=xml, fmt="moodlexml")
    assert str(Question.objects.get().default_mark) == "999.99"


# --- a learner's answers -----------------------------------------------------------------------

ESSAY = {"kind": "essay", "text": "<p>请回复业主</p>", "rubric": []}
SHORT = {
    "kind": "shortanswer",
    "text": "<p>五声里第一声是？</p>",
    "answers": [{"text": "您好", "fraction": 1.0, "feedback": ""}],
}


def test_the_answer_fields_carry_their_limits(learner_client):
    attempt = start(learner_client, build_quiz(specs=(ESSAY, SHORT, "tea")))
    page = page_text(learner_client.get(f"/quizzes/attempts/{attempt.pk}/"))
    assert f'maxlength="{WRITTEN_REPLY}"' in page
    assert page.count(f'maxlength="{SHORT_ANSWER}"') == 2  # short and numeric answers


def test_a_written_reply_too_long_is_refused_on_submit(learner_client):
    attempt = start(learner_client, build_quiz(specs=(ESSAY,)))
    response = learner_client.post(
        f"/quizzes/attempts/{attempt.pk}/submit/", {"q1": "长" * (WRITTEN_REPLY + 1)}
    )
    assert response.status_code == 400
    assert f"最多 {WRITTEN_REPLY} 个字符" in page_text(response)
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.questions.get().response is None


def test_a_short_answer_too_long_is_refused_on_autosave(learner_client):
    attempt = start(learner_client, build_quiz(specs=(SHORT, "tea")))
    for position in (1, 2):
        response = autosave(
            learner_client, attempt, position, {f"q{position}": ["1" * (SHORT_ANSWER + 1)]}
        )
        assert response.status_code == 400
        assert f"最多 {SHORT_ANSWER} 个字符" in response.json()["error"]
    assert not AttemptQuestion.objects.filter(response__isnull=False).exists()


# --- a trainer's comment ---------------------------------------------------------------------


def submitted_essay(learner):
    attempt = services.attempt_start(user=learner.user, quiz=build_quiz(specs=(ESSAY,)))
    services.attempt_submit(user=learner.user, attempt_id=attempt.pk, answers={1: "抱歉"})
    return attempt.questions.get()


def test_a_grader_comment_too_long_is_refused_by_the_page(trainer_client, learner):
    answer = submitted_essay(learner)
    url = f"/admin/quiz-tools/grading/{answer.pk}/"
    assert f'maxlength="{GRADER_COMMENT}"' in page_text(trainer_client.get(url))
    response = trainer_client.post(url, {"percent": "80", "comment": "好" * (GRADER_COMMENT + 1)})
    assert response.status_code == 200  # the form again, as for any other mistake in it
    assert f"评语太长：最多 {GRADER_COMMENT} 个字符" in page_text(response)
    answer.refresh_from_db()
    assert answer.fraction is None and answer.grader_comment == ""


def test_a_grader_comment_too_long_is_refused_by_the_service(learner):
    answer = submitted_essay(learner)
    with pytest.raises(services.QuizError) as refused:
        services.attempt_question_grade(
            grader=UserFactory(),
            attempt_question_id=answer.pk,
            percent=80,
            comment="好" * (GRADER_COMMENT + 1),
        )
    assert refused.value.kind is Kind.INVALID and str(GRADER_COMMENT) in refused.value.message
    answer.refresh_from_db()
    assert answer.fraction is None
