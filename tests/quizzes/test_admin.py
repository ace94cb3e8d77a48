"""Trainers in the Wagtail admin: edit questions (new versions), import and export files,
grade written replies, read results. Learners get none of it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from quizzes import services
from quizzes.models import Question, QuestionVersion
from tests.factories import StaffFactory, UserFactory, build_quiz

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def trainer_client(client, db):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


def question_form(question, *, name=None, percents=(100, 50, 0)):
    """The admin form for a single-choice question, as the editor's JavaScript posts it."""
    blocks = [b for b in question.answers]
    return nested_form_data(
        {
            "name": name or question.name,
            "kind": question.kind,
            "category": question.category_id,
            "default_mark": "1",
            "text": rich_text(question.text),
            "answers_choice": streamfield(
                [
                    ("choice", {"text": b.value["text"], "percent": str(p), "feedback": ""})
                    for b, p in zip(blocks, percents, strict=True)
                ]
            ),
            "general_feedback": rich_text(""),
        }
    )


def test_editing_a_question_in_the_admin_makes_a_new_version(trainer_client):
    quiz = build_quiz(specs=("phone",))
    question = quiz.slots.get().question
    url = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
    assert trainer_client.get(url).status_code == 200
    form = question_form(question, name="接电话（修订）")
    for n, block in enumerate(question.answers):
        form[f"answers_choice-{n}-id"] = block.id  # the editor keeps block ids
    response = trainer_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.name == "接电话（修订）"
    assert question.versions.count() == 2
    spec = question.current_version.spec
    assert [c["fraction"] for c in spec["choices"]] == [1.0, 0.5, 0.0]
    # Option ids stay the same across versions (statistics compare like with like).
    first = question.versions.get(number=1).spec
    assert [c["id"] for c in first["choices"]] == [c["id"] for c in spec["choices"]]


def test_an_invalid_question_is_refused_with_a_message(trainer_client):
    quiz = build_quiz(specs=("phone",))
    question = quiz.slots.get().question
    url = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
    response = trainer_client.post(url, question_form(question, percents=(0, 0, 0)))
    assert response.status_code == 200
    assert "100%" in response.content.decode()
    assert question.versions.count() == 1


def test_import_from_the_admin_and_export_again(trainer_client):
    upload = SimpleUploadedFile("moodle.gift", (FIXTURES / "moodle_sample.gift").read_bytes())
    response = trainer_client.post(
        "/admin/quiz-tools/import/", {"file": upload, "format": "auto", "category": ""}
    )
    assert response.status_code == 302
    count = Question.objects.count()
    assert count >= 5 and QuestionVersion.objects.count() == count
    exported = trainer_client.get("/admin/quiz-tools/export/")
    assert exported["Content-Disposition"].endswith('.gift"')
    text = exported.content.decode()
    assert all(name in text for name in Question.objects.values_list("name", flat=True))


def test_a_broken_file_imports_nothing_and_lists_each_problem(trainer_client):
    upload = SimpleUploadedFile("broken.gift", (FIXTURES / "broken_import.gift").read_bytes())
    response = trainer_client.post(
        "/admin/quiz-tools/import/", {"file": upload, "format": "gift", "category": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 4 行" in html and "第 6 行" in html
    assert not Question.objects.exists()


def test_grading_queue_and_results_show_what_learners_did(trainer_client, learner):
    essay = {
        "kind": "essay",
        "text": "<p>回复业主</p>",
        "rubric": [{"criterion": "致歉", "points": 2}],
    }
    quiz = build_quiz(specs=("phone", essay), pass_mark=50)
    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(
        user=learner.user, attempt_id=attempt.pk, answers={1: "c-five", 2: "非常抱歉"}
    )
    queue = trainer_client.get("/admin/quiz-tools/grading/").content.decode()
    assert "林小文" in queue
    answer = attempt.questions.get(position=2)
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{answer.pk}/", {"points_0": "3", "comment": ""}
    )
    assert response.status_code == 200  # 3 of 2 points is refused
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{answer.pk}/", {"points_0": "2", "comment": "很好"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.percent == 50 and attempt.passed

    results = trainer_client.get(f"/admin/quiz-tools/results/{quiz.pk}/").content.decode()
    assert "五声" in results and "v1" in results


def test_statistics_count_each_version_learners_actually_saw(learner):
    from quizzes.selectors import quiz_statistics

    quiz = build_quiz(specs=("phone",), pass_mark=100)
    question = quiz.slots.get().question
    first = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(user=learner.user, attempt_id=first.pk, answers={1: "c-five"})

    question.text = "<p>铃响几声内接听？（新版）</p>"
    question.save()
    services.question_save_version(question=question)
    other = StaffFactory()
    second = services.attempt_start(user=other.user, quiz=quiz)
    services.attempt_submit(user=other.user, attempt_id=second.pk, answers={1: "c-three"})

    stats = quiz_statistics(quiz)
    assert stats.attempts == 2 and stats.pass_rate == 50
    by_version = {s.version: s for s in stats.questions}
    assert by_version[1].shown == 1 and by_version[1].facility == 0
    assert by_version[2].shown == 1 and by_version[2].facility == 1
    counts_v1 = {o["text"]: o["count"] for o in by_version[1].options}
    assert counts_v1 == {"三声": 0, "五声": 1, "有空再接": 0}


def test_learners_cannot_reach_the_trainer_tools(learner_client):
    for url in (
        "/admin/quiz-tools/import/",
        "/admin/quiz-tools/grading/",
        "/admin/quiz-tools/results/",
        "/admin/quiz-tools/export/",
    ):
        assert learner_client.get(url).status_code == 403, url


def test_import_command(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command(
        "import_questions", str(FIXTURES / "moodle_sample.gift"), format="gift", category="导入测试"
    )
    out = capsys.readouterr().out
    count = Question.objects.filter(category__name="导入测试").count()
    assert f"{count} new, 0 updated, 0 unchanged questions" in out.strip().splitlines()[-1]
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_questions", str(FIXTURES / "broken_import.gift"), format="gift")
    assert Question.objects.count() == count


def test_an_answered_question_or_a_used_quiz_cannot_be_deleted(trainer_client, learner):
    from django.contrib.auth import get_user_model

    admin_client = trainer_client
    admin_client.force_login(get_user_model().objects.create_superuser("root", "r@x.cn", "pw"))
    quiz = build_quiz(specs=("phone",))
    question = quiz.slots.get().question
    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(user=learner.user, attempt_id=attempt.pk)
    for url in (
        f"/admin/snippets/quizzes/question/delete/{question.pk}/",
        f"/admin/snippets/quizzes/quiz/delete/{quiz.pk}/",
    ):
        response = admin_client.post(url, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "没有删除：学员的作答记录或其他内容正在使用它（" in page
        assert "）。题目请改为归档；测验请先从模块中移除。" in page
    assert Question.objects.filter(pk=question.pk).exists()

    unused = services.question_create(
        category=question.category, name="没人答过", spec=question.current_version.spec
    )
    admin_client.post(f"/admin/snippets/quizzes/question/delete/{unused.pk}/")
    assert not Question.objects.filter(pk=unused.pk).exists()


def test_a_category_name_too_long_is_a_problem_not_a_crash():
    gift = "$CATEGORY: " + "长" * 201 + "\n\n::题::问？{=对 ~错}\n"
    with pytest.raises(services.ImportFailed) as failed:
        services.questions_import(data=gift, fmt="gift")
    assert "200" in str(failed.value)
    assert not Question.objects.exists()


def test_an_import_keeps_every_detail_in_the_first_version():
    gift = (
        "// [template] 王女士您好：\n::回复::请回复业主。{}\n\n"
        "::格式::[html]哪个对？{=[html]<b>三声</b> ~五声}\n"
    )
    services.questions_import(data=gift, fmt="gift", category_name="细节")
    essay = Question.objects.get(name="回复")
    assert essay.current_version.spec.get("reply_template") == "王女士您好："
    assert essay.reply_template == "王女士您好："
    choice = Question.objects.get(name="格式").current_version.spec["choices"]
    assert "<b>三声</b>" in [c["text"] for c in choice]


def test_trainers_set_the_questions_per_page_of_a_quiz(trainer_client):
    quiz = build_quiz()
    html = trainer_client.get(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/").content.decode()
    assert 'name="questions_per_page"' in html and "每页题数" in html
    assert "0：所有题目显示在同一页。" in html
