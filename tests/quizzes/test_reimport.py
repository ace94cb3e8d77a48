"""Importing a question bank again: questions already in the target category are recognised
(same name, or same text and answers); unchanged ones are skipped, changed ones get a new
version, and attempts keep the version they showed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quizzes import services
from quizzes.models import Question, QuestionVersion, Quiz, QuizSlot
from tests.factories import UserFactory
from tests.quizzes.test_moodlexml import question, quiz

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GIFT = (FIXTURES / "moodle_sample.gift").read_text(encoding="utf-8")
XML = quiz(
    question(
        "multichoice",
        '<answer fraction="100"><text>三声</text></answer>'
        '<answer fraction="0"><text>五声</text></answer>',
        name="铃响几声",
    ),
    question("essay", "<defaultgrade>2</defaultgrade>", name="回复业主"),
    category="$course$/top/接电话",
)
# "铃响几声" in the sample: "电话铃响 {~五 =三 ~十} 声以内必须接起。"
RIGHT = "{~五 =三 ~十}"
CHANGED = "{~五 =两 ~十}"


def bank() -> tuple[int, int]:
    return Question.objects.count(), QuestionVersion.objects.count()


def test_the_same_file_twice_changes_nothing():
    first = services.questions_import(data=GIFT, fmt="gift")
    assert len(first.new) == 14 and first.updated == [] and first.unchanged == []
    before = bank()
    second = services.questions_import(data=GIFT, fmt="gift")
    assert (second.new, second.updated) == ([], [])
    assert sorted(second.unchanged) == sorted(first.new)
    assert bank() == before


def test_the_same_moodle_xml_twice_changes_nothing():
    first = services.questions_import(data=XML, fmt="moodlexml")
    before = bank()
    second = services.questions_import(data=XML, fmt="moodlexml")
    assert (second.new, second.updated, len(second.unchanged)) == ([], [], len(first.new))
    assert bank() == before


def test_a_changed_answer_makes_a_new_version_and_attempts_keep_theirs(learner_client, learner):
    assert RIGHT in GIFT
    services.questions_import(data=GIFT, fmt="gift", category_name="接电话")
    question = Question.objects.get(name="铃响几声")
    quiz = Quiz.objects.create(title="接电话测验", pass_mark=50, shuffle_options=False)
    QuizSlot.objects.create(quiz=quiz, question=question)
    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    right = next(c["id"] for c in question.current_version.spec["choices"] if c["text"] == "三")
    services.attempt_submit(user=learner.user, attempt_id=attempt.pk, answers={1: right})

    report = services.questions_import(
        data=GIFT.replace(RIGHT, CHANGED), fmt="gift", category_name="接电话"
    )
    assert (report.new, report.updated, len(report.unchanged)) == ([], ["铃响几声"], 13)
    assert Question.objects.filter(name="铃响几声").count() == 1
    question.refresh_from_db()
    assert question.versions.count() == 2
    assert [c["text"] for c in question.current_version.spec["choices"]] == ["五", "两", "十"]
    assert question.current_version.number == 2
    assert "两" in [b.value["text"] for b in question.answers]  # the editor shows it too

    taken = attempt.questions.get()
    assert taken.version.number == 1 and taken.state == "correct"
    review = learner_client.get(f"/quizzes/attempts/{attempt.pk}/review/").content.decode()
    assert ">三<" in review and ">两<" not in review


def test_a_renamed_question_with_the_same_text_and_answers_is_unchanged():
    services.questions_import(data=GIFT, fmt="gift")
    before = bank()
    report = services.questions_import(data=GIFT.replace("::铃响几声::", "::铃声::"), fmt="gift")
    assert report.new == [] and "铃声" in report.unchanged
    assert bank() == before


def test_the_same_name_in_another_category_is_another_question():
    services.questions_import(data=GIFT, fmt="gift", category_name="甲")
    report = services.questions_import(data=GIFT, fmt="gift", category_name="乙")
    assert len(report.new) == 14


def test_two_questions_of_one_name_in_one_file_are_a_problem():
    gift = "::同名::问一？{=对 ~错}\n\n::同名::问二？{=是 ~否}\n"
    with pytest.raises(services.ImportFailed) as failed:
        services.questions_import(data=gift, fmt="gift")
    (problem,) = failed.value.problems
    assert (problem.line, problem.question) == (3, "同名") and "1" in problem.message
    assert bank() == (0, 0)


def test_a_name_the_bank_holds_twice_cannot_be_updated():
    services.questions_import(data="::同名::问？{=对 ~错}\n", fmt="gift", category_name="旧")
    services.questions_import(data="::另一::另一问？{=是 ~否}\n", fmt="gift", category_name="旧")
    # as imports made before names were recognised left them: two questions of one name
    Question.objects.filter(name="另一").update(name="同名")
    before = bank()
    unchanged = services.questions_import(
        data="::同名::问？{=对 ~错}\n", fmt="gift", category_name="旧"
    )
    assert unchanged.unchanged == ["同名"]
    with pytest.raises(services.ImportFailed, match="2"):
        services.questions_import(data="::同名::新问？{=对 ~错}\n", fmt="gift", category_name="旧")
    assert bank() == before


def test_the_command_says_what_was_new_updated_and_unchanged(tmp_path, capsys):
    path = tmp_path / "bank.gift"
    path.write_text(GIFT, encoding="utf-8")
    call_command("import_questions", str(path), format="gift", category="导入测试")
    assert "14 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_questions", str(path), format="gift", category="导入测试")
    assert "0 new, 0 updated, 14 unchanged" in capsys.readouterr().out
    path.write_text(GIFT.replace(RIGHT, CHANGED), encoding="utf-8")
    call_command("import_questions", str(path), format="gift", category="导入测试")
    out = capsys.readouterr().out
    assert "0 new, 1 updated, 13 unchanged" in out and "Updated: 铃响几声" in out


def test_the_admin_page_says_what_was_new_updated_and_unchanged(client):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))

    def upload(text):
        return client.post(
            "/admin/quiz-tools/import/",
            {
                "file": SimpleUploadedFile("bank.gift", text.encode()),
                "format": "auto",
                "category": "导入测试",
            },
            follow=True,
        ).content.decode()

    assert "14 道新题，0 道已更新，0 道未变" in upload(GIFT)
    assert "0 道新题，0 道已更新，14 道未变" in upload(GIFT)
    page = upload(GIFT.replace(RIGHT, CHANGED))
    assert "0 道新题，1 道已更新，13 道未变" in page and "已更新：铃响几声" in page
