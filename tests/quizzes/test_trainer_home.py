"""The trainer's admin home (panels) and grading page: the replies waiting, item analysis in
the database (SQL sums = Python sums), quizzes that would not work, what the grader sees, and
"next reply"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import item_analysis, selectors, services
from quizzes.drawing import SlotCheck, slot_problems
from quizzes.models import Attempt, AttemptQuestion, Question, QuestionCategory, Quiz, QuizSlot
from tests.factories import StaffFactory, UserFactory, build_quiz, ensure_tree_roots

pytestmark = pytest.mark.django_db

ESSAY = {
    "kind": "essay",
    "text": "<p>业主投诉楼上漏水，请写出你的回复。</p>",
    "general_feedback": "<p>范文：王女士您好，给您添麻烦了，我们十分钟内上门查看。</p>",
    "rubric": [{"criterion": "先致歉", "points": 3}, {"criterion": "承诺时限", "points": 2}],
    "reply_length": {"min": 10, "max": 40},
}
SHORT = {
    "kind": "shortanswer",
    "text": "<p>接起电话第一句说什么？</p>",
    "answers": [{"text": "您好*", "fraction": 1.0}],
    "case_sensitive": False,
}
T0 = timezone.now() - timedelta(days=1)


@pytest.fixture
def trainer(db):
    ensure_tree_roots()
    return StaffFactory(user=UserFactory(roles=["learner", "trainer"]), name="陈老师").user


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def take(quiz, answers, *, minutes=0, name=None):
    """A learner takes `quiz` with {position: response}, submitted at T0 + minutes."""
    learner = StaffFactory(**({"name": name} if name else {})).user
    attempt = services.attempt_start(user=learner, quiz=quiz, now=T0 + timedelta(minutes=minutes))
    services.attempt_submit(
        user=learner,
        attempt_id=attempt.pk,
        answers=answers,
        now=T0 + timedelta(minutes=minutes, seconds=30),
    )
    return Attempt.objects.get(pk=attempt.pk)


def essay_answer(attempt):
    return attempt.questions.get(version__spec__kind="essay")


# --- item analysis in the database ------------------------------------------------------------


def test_sql_sums_give_what_the_rule_gives_on_the_same_answers():
    quiz = build_quiz(specs=("phone", "forbidden", "tea"))
    rows = [("c-three", "false", "50"), ("c-three", "true", "50"), ("c-five", "false", "10")]
    rows += [("c-five", "true", "10"), ("c-three", "false", "70")]
    for n, (phone, forbidden, tea) in enumerate(rows):
        take(quiz, {1: phone, 2: forbidden, 3: tea}, minutes=n)
    expected: dict[int, list] = {}
    for aq in AttemptQuestion.objects.select_related("attempt"):
        rest = item_analysis.rest_score(
            aq.attempt.points, aq.attempt.max_points, aq.mark, aq.fraction
        )
        expected.setdefault(aq.version_id, []).append((aq.fraction, rest))
    analyses = selectors.item_analyses(AttemptQuestion.objects.filter(attempt__quiz=quiz))
    assert set(analyses) == set(expected)
    for version_id, pairs in expected.items():
        by_rule = item_analysis.analyse(item_analysis.Sums.of(pairs))
        got = analyses[version_id]
        assert got.attempts == by_rule.attempts == 5
        assert got.difficulty == pytest.approx(by_rule.difficulty)
        if by_rule.discrimination is None:
            assert got.discrimination is None
        else:
            assert got.discrimination == pytest.approx(by_rule.discrimination)
    # the phone question: right in attempts 1, 2, 5 (scores 1, .67→ rest…): a known sign
    phone = Question.objects.get(name__endswith="-0").current_version_id
    assert analyses[phone].difficulty == pytest.approx(0.6)
    assert analyses[phone].discrimination > 0


def test_a_one_question_quiz_still_has_a_difficulty_but_no_index():
    quiz = build_quiz(title="单题", specs=("phone",))
    take(quiz, {1: "c-three"})
    take(quiz, {1: "c-five"}, minutes=1)
    (analysis,) = selectors.item_analyses(AttemptQuestion.objects.all()).values()
    assert analysis.attempts == 2 and analysis.difficulty == 0.5
    assert analysis.discrimination is None


@pytest.fixture
def ten_attempts():
    """Ten learners: everybody gets the phone question right (too easy); the strongest on the
    rest get the true/false one wrong and the weakest right (negative discrimination)."""
    quiz = build_quiz(specs=("phone", "forbidden", "tea", "courtesy"))
    for n in range(10):
        strong = n < 5
        take(
            quiz,
            {
                1: "c-three",
                2: "true" if strong else "false",
                3: "50" if strong else "1",
                4: ["m-hello", "m-thanks"] if strong else ["m-wei"],
            },
            minutes=n,
        )
    return quiz


def test_flagged_questions_name_the_flags_negative_first(ten_attempts, django_assert_num_queries):
    with django_assert_num_queries(2):
        flagged = selectors.flagged_questions(limit=5)
    assert flagged.count == 2
    first, second = flagged.first
    assert first.name.endswith("-1") and first.analysis.flags == (item_analysis.NEGATIVE,)
    assert second.name.endswith("-0") and second.analysis.flags == (item_analysis.TOO_EASY,)


def test_nine_attempts_flag_nothing():
    quiz = build_quiz(specs=("phone", "forbidden"))
    for n in range(9):
        take(quiz, {1: "c-three", 2: "false"}, minutes=n)
    assert selectors.flagged_questions().count == 0


def test_a_new_version_starts_without_the_old_versions_flags(ten_attempts):
    question = Question.objects.get(name__endswith="-0")
    services.question_save_version(question=question, user=None)  # nothing changed: same
    assert selectors.flagged_questions().count == 2
    spec = {**question.current_version.spec, "text": "<p>铃响几声内接？</p>"}
    services._question_import_version(question=question, spec=spec, user=None)
    assert [q.name for q in selectors.flagged_questions().first] == [
        Question.objects.get(name__endswith="-1").name
    ]


def test_statistics_page_shows_discrimination_flags_and_wrong_typed_answers(trainer_client):
    quiz = build_quiz(specs=("phone", SHORT))
    typed = ["喂，哪位", "喂，哪位 ", "您好，物业", "HELLO", "hello", "什么事"]
    for n, answer in enumerate(typed):
        take(quiz, {1: "c-three" if n % 2 else "c-five", 2: answer}, minutes=n)
    page = trainer_client.get(f"/admin/quiz-tools/results/{quiz.pk}/").content.decode()
    assert "区分度" in page
    assert "答错时填写的答案：" in page
    wrong = page.split('<ul class="wrong-answers">')[1].split("</ul>")[0]
    assert wrong.index("hello: <b>2</b>") < wrong.index("喂,哪位: <b>2</b>")
    assert "什么事: <b>1</b>" in wrong and "您好" not in wrong


# --- quizzes that would not work ---------------------------------------------------------------


def test_slot_problems():
    assert slot_problems([]) == ["测验没有题目。"]
    fine = SlotCheck(question_id=1)
    assert slot_problems([fine, SlotCheck(category_id=7, count=3, available=3)]) == []
    two_draws = [SlotCheck(category_id=7, count=2, available=3)] * 2
    assert slot_problems(two_draws) == ["从一个只有 3 道题的分类中抽取 4 道题。"]
    assert slot_problems([SlotCheck(question_id=1, question_archived=True)]) == [
        "1 道固定题目已归档。"
    ]


def test_quizzes_with_problems_in_two_queries(django_assert_num_queries):
    category = QuestionCategory.objects.create(name="抽题")
    good = build_quiz(title="好测验", specs=("phone",))
    short = Quiz.objects.create(title="抽不够")
    QuizSlot.objects.create(quiz=short, category=category, count=2)
    Quiz.objects.create(title="空测验")
    archived = build_quiz(title="有归档题", specs=("forbidden",))
    Question.objects.filter(pk=archived.slots.get().question_id).update(archived=True)
    with django_assert_num_queries(2):
        found = selectors.quizzes_with_problems()
    assert found.count == 3
    assert {p.title: p.problems for p in found.first} == {
        "有归档题": ["1 道固定题目已归档。"],
        "抽不够": ["从一个只有 0 道题的分类中抽取 2 道题。"],
        "空测验": ["测验没有题目。"],
    }
    assert good.pk not in [p.quiz_id for p in found.first]


# --- the admin home ------------------------------------------------------------------------


@pytest.fixture
def waiting_replies():
    """Three written replies waiting, submitted at minutes 0, 1, 2 (in that order)."""
    quiz = build_quiz(title="投诉回复", specs=(ESSAY,))
    return [
        essay_answer(take(quiz, {1: reply}, minutes=n, name=name))
        for n, (reply, name) in enumerate(
            [
                ("王女士您好，非常抱歉，十分钟内到。", "张一"),
                ("知道了", "李二"),
                ("您好，马上处理", "赵三"),
            ]
        )
    ]


def test_the_home_shows_the_queue_oldest_first_with_one_click_to_grade(
    trainer_client, waiting_replies
):
    page = trainer_client.get("/admin/").content.decode()
    panel = page.split('id="grading-queue-content"')[1].split("</section>")[0]
    assert 'data-home-count="grading">3<' in panel
    assert f'href="/admin/quiz-tools/grading/{waiting_replies[0].pk}/">批改最早的一条' in panel
    assert panel.index("张一") < panel.index("李二") < panel.index("赵三")
    assert "最近导入" in page


def test_the_home_costs_the_same_queries_for_three_or_thirty_replies(
    trainer_client, waiting_replies, django_assert_max_num_queries
):
    trainer_client.get("/admin/")  # caches warmed (permissions, site)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        trainer_client.get("/admin/")
    quiz = waiting_replies[0].attempt.quiz
    for n in range(27):
        take(quiz, {1: f"回复{n}"}, minutes=10 + n)
    build_quiz(title="空", specs=())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = trainer_client.get("/admin/").content.decode()
    assert 'data-home-count="grading">30<' in page


def test_panels_only_for_those_who_may_act(client, waiting_replies):
    """An editor with admin access but no quiz permissions sees none of the quiz panels."""
    from django.contrib.auth.models import Permission

    editor = UserFactory(roles=["learner"])
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert page.count("grading-queue") == 0 and "最近导入" not in page


# --- the grading page and "next reply" ----------------------------------------------------------


def test_the_grading_page_shows_model_answer_rubric_and_length(trainer_client, waiting_replies):
    first, second, _third = waiting_replies
    page = trainer_client.get(f"/admin/quiz-tools/grading/{first.pk}/").content.decode()
    assert "范文：王女士您好，给您添麻烦了" in page
    assert "<td>先致歉</td><td>3</td>" in page and "<td>承诺时限</td><td>2</td>" in page
    assert "17 个字（要求 10–40 字）" in page and "长度符合要求" in page
    assert f'id="grade-skip" href="/admin/quiz-tools/grading/{second.pk}/"' in page
    short = trainer_client.get(f"/admin/quiz-tools/grading/{second.pk}/").content.decode()
    assert "3 个字（要求 10–40 字）" in short and "太短" in short


def test_save_and_next_goes_on_oldest_first_and_skipped_replies_come_back(
    trainer_client, waiting_replies
):
    first, second, third = waiting_replies
    # skip the oldest, grade the second: the next is the third, then the skipped first
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{second.pk}/",
        {"points_0": "1", "points_1": "0", "comment": "", "then": "next"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/quiz-tools/grading/{third.pk}/"
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{third.pk}/",
        {"points_0": "2", "points_1": "1", "comment": "", "then": "next"},
    )
    assert response["Location"] == f"/admin/quiz-tools/grading/{first.pk}/"
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{first.pk}/",
        {"points_0": "3", "points_1": "2", "comment": "很好", "then": "next"},
    )
    assert response["Location"] == "/admin/quiz-tools/grading/"
    assert AttemptQuestion.objects.filter(fraction__isnull=True).count() == 0
    assert not Attempt.objects.filter(state="awaiting_grading").exists()


def test_save_grade_alone_goes_back_to_the_queue(trainer_client, waiting_replies):
    response = trainer_client.post(
        f"/admin/quiz-tools/grading/{waiting_replies[0].pk}/",
        {"points_0": "3", "points_1": "2", "comment": ""},
    )
    assert response["Location"] == "/admin/quiz-tools/grading/"


def test_reply_length_rules():
    assert selectors.reply_length(ESSAY, "王女士 您好\n抱歉").count == 7  # no spaces, no breaks
    assert selectors.reply_length(ESSAY, "短").state == "short"
    assert selectors.reply_length(ESSAY, "长" * 41).state == "long"
    assert selectors.reply_length({"kind": "essay"}, "任何").state == ""  # older specs: none
    assert (
        selectors.reply_length({"kind": "essay", "reply_length": {"max": 5}}, "六个字六个字").state
        == "long"
    )


@pytest.mark.parametrize(
    ("wanted", "problem"),
    [
        ({"min": 10, "max": 40}, None),
        ({"max": 40}, None),
        ({}, None),
        ({"min": 0}, "回复长度必须是正整数（字数）。"),
        ({"min": "10"}, "回复长度必须是正整数（字数）。"),
        ({"min": 50, "max": 40}, "最短回复长度不能大于最长回复长度。"),
    ],
)
def test_reply_length_in_the_spec(wanted, problem):
    from quizzes.spec import spec_problems

    problems = spec_problems({**ESSAY, "reply_length": wanted})
    assert problems == ([problem] if problem else [])


def test_reply_length_is_edited_as_an_answer_block():
    from quizzes.authoring import question_to_spec, spec_to_fields

    category = QuestionCategory.objects.create(name="书面")
    question = services.question_create(category=category, name="漏水回复", spec=ESSAY)
    assert question.current_version.spec["reply_length"] == {"min": 10, "max": 40}
    assert question_to_spec(question)["reply_length"] == {"min": 10, "max": 40}
    fields = spec_to_fields({**ESSAY, "reply_length": {"max": 40}})
    assert fields["answers"][-1]["value"] == {"min_chars": None, "max_chars": 40}
