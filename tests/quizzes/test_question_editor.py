"""The question editor in the Wagtail admin: it reads, checks and keeps only the fields of the
chosen type, and its live preview shows the unsaved question as a learner sees it in a quiz."""

import json

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from quizzes.models import Question, QuestionCategory
from tests.factories import UserFactory, build_quiz

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/quizzes/question/add/"
PREVIEW_ADD = "/admin/snippets/quizzes/question/preview/"


def choice(text, percent, feedback=""):
    return ("choice", {"text": text, "percent": str(percent), "feedback": feedback})


# Every kind's answers field, filled in as a trainer would: the form posts all of them (the
# hidden ones too), whichever type is chosen.
ANSWERS = {
    "answers_choice": streamfield(
        [choice("请稍等，我马上为您查询", 100, "礼貌"), choice("不知道", 0, "生硬")]
    ),
    "answers_true_false": streamfield(
        [("true_false", {"answer": "true", "feedback_true": "对了", "feedback_false": "错了"})]
    ),
    "answers_step": streamfield([("step", {"text": "问候"}), ("step", {"text": "登记"})]),
    "answers_pair": streamfield(
        [
            ("pair", {"prompt": "漏水", "answer": "先关总阀"}),
            ("pair", {"prompt": "停电", "answer": "查看配电房"}),
        ]
    ),
    "answers_accepted_answer": streamfield(
        [("accepted_answer", {"text": "您好", "percent": "100", "feedback": ""})]
    ),
    "answers_number": streamfield(
        [("number", {"value": "3", "tolerance": "0", "percent": "100", "feedback": ""})]
    ),
    "answers_criterion": streamfield(
        [
            ("criterion", {"criterion": "先道歉", "points": "2"}),
            ("criterion", {"criterion": "给时限", "points": "1"}),
        ]
    ),
    "answers_reply_length": streamfield([("reply_length", {"min_chars": "10", "max_chars": "40"})]),
}
MULTIPLE_ANSWERS = streamfield([choice("道歉", 50), choice("登记", 50), choice("争辩", -100)])
# kind → (its answers field, the block type it saves, how many blocks)
SAVED = {
    "single": ("answers_choice", "choice", 2),
    "multiple": ("answers_choice", "choice", 3),
    "truefalse": ("answers_true_false", "true_false", 1),
    "ordering": ("answers_step", "step", 2),
    "matching": ("answers_pair", "pair", 2),
    "shortanswer": ("answers_accepted_answer", "accepted_answer", 1),
    "numeric": ("answers_number", "number", 1),
    "essay": ("answers_criterion", "criterion", 2),  # and its reply length: see below
    "description": (None, None, 0),
}


@pytest.fixture
def trainer_client(client, db):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


@pytest.fixture
def category(db):
    return QuestionCategory.objects.create(name="接待礼仪")


def question_form(kind, category, *, text="客户来电询问维修进度，您应当怎么说？", **fields):
    """The whole form as the editor posts it: every type's fields, whatever `kind` is
    (`category` None: none chosen yet)."""
    answers = {**ANSWERS, "answers_choice": MULTIPLE_ANSWERS} if kind == "multiple" else ANSWERS
    data = {
        "name": f"{kind} 题",
        "kind": kind,
        "category": category.pk if category else "",
        "default_mark": "2",
        "text": rich_text(text),
        **answers,
        "case_sensitive": "on",
        "reply_template": "尊敬的业主：",
        "general_feedback": rich_text("先安抚，再答复。"),
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.mark.parametrize("kind", list(SAVED))
def test_a_question_keeps_only_the_fields_of_its_type(trainer_client, category, kind):
    response = trainer_client.post(ADD, question_form(kind, category))
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    _field, block_type, count = SAVED[kind]
    extra = ["reply_length"] if kind == "essay" else []  # an essay's optional reply length
    assert [b.block_type for b in question.answers] == [block_type] * count + extra
    assert question.case_sensitive is (kind == "shortanswer")
    assert question.reply_template == ("尊敬的业主：" if kind == "essay" else "")
    assert ("先安抚" in question.general_feedback) is (kind != "description")
    spec = question.current_version.spec
    assert spec["kind"] == kind
    assert "choices" not in spec or kind in ("single", "multiple")
    assert ("reply_length" in spec) is (kind == "essay")
    if kind == "essay":
        assert spec["reply_length"] == {"min": 10, "max": 40}


def test_what_a_hidden_field_holds_is_neither_checked_nor_kept(trainer_client, category):
    broken_options = streamfield([choice("", "not a number")])
    response = trainer_client.post(
        ADD, question_form("shortanswer", category, answers_choice=broken_options)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert [b.value["text"] for b in question.answers] == ["您好"]


def test_changing_the_type_drops_the_old_answers(trainer_client):
    question = build_quiz(specs=("phone",)).slots.get().question
    assert {b.block_type for b in question.answers} == {"choice"}
    url = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
    response = trainer_client.post(url, question_form("truefalse", question.category))
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert [b.block_type for b in question.answers] == ["true_false"]
    assert question.current_version.spec["answer"] is True
    assert question.versions.count() == 2


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("single", {"answers_choice": streamfield([choice("好", 0), choice("坏", 0)])}, "100%"),
        ("shortanswer", {"answers_accepted_answer": streamfield([])}, "至少需要一个可接受答案"),
        (
            "ordering",
            {"answers_step": streamfield([("step", {"text": "一"})])},
            "排序题至少需要两个步骤",
        ),
        (
            "truefalse",
            {"answers_true_false": streamfield([("true_false", {"answer": ""})])},
            "必需字段",
        ),
    ],
)
def test_the_chosen_type_is_checked_and_nothing_saved(
    trainer_client, category, kind, fields, message
):
    response = trainer_client.post(ADD, question_form(kind, category, **fields))
    assert response.status_code == 200
    page = response.content.decode()
    # beside the field: in the answer editor's data (JSON, so non-ASCII is escaped)
    assert message in page or json.dumps(message)[1:-1] in page
    assert not Question.objects.exists()


# --- the preview -----------------------------------------------------------------------------


def preview(client, data, url=PREVIEW_ADD) -> str:
    """What the live preview panel shows for the form as it stands (the editor posts the
    form, then the panel loads the page)."""
    answer = client.post(url, data).json()
    assert answer["is_valid"], answer
    response = client.get(url, {"in_preview_panel": "true"})
    assert response.status_code == 200
    return response.content.decode()


# kind → what a learner sees of its answers, in the learner's quiz markup
LEARNER_MARKUP = {
    "single": ['type="radio" name="q1"', "请稍等，我马上为您查询", "请选择一个答案"],
    "multiple": ['type="checkbox" name="q1"', "道歉", "争辩"],
    "truefalse": ['type="radio" name="q1" value="true"', 'value="false"'],
    "ordering": ['class="step-place"', "问候", "登记"],
    "matching": ['class="match-row"', "漏水", "先关总阀", "查看配电房"],
    "shortanswer": ['<input type="text" name="q1"', "你的答案"],
    "numeric": ['inputmode="decimal" name="q1"', "你的答案（数字）"],
    "essay": ['<textarea name="q1"', "尊敬的业主："],
    "description": ["客户来电询问维修进度"],
}


@pytest.mark.parametrize("kind", list(LEARNER_MARKUP))
def test_the_preview_shows_the_question_as_learners_see_it(trainer_client, category, kind):
    page = preview(trainer_client, question_form(kind, category))
    assert f'<fieldset class="question q-{kind}"' in page
    assert "客户来电询问维修进度" in page
    for markup in LEARNER_MARKUP[kind]:
        assert markup in page
    # Never the key: no grades, no feedback, no explanation, no right order.
    for secret in ("礼貌", "生硬", "对了", "错了", "先安抚", "先道歉", "100%"):
        assert secret not in page
    if kind == "description":
        assert 'name="q1"' not in page


def test_the_preview_shows_unsaved_changes_and_an_unfinished_question(trainer_client):
    question = build_quiz(specs=("phone",)).slots.get().question
    url = f"/admin/snippets/quizzes/question/preview/{question.pk}/"
    # One option without a right one: not yet a question that saves, already one to look at.
    form = question_form(
        "single",
        question.category,
        text="改过的题目",
        answers_choice=streamfield([choice("唯一的选项", 0)]),
    )
    page = preview(trainer_client, form, url)
    assert "改过的题目" in page and "唯一的选项" in page
    question.refresh_from_db()
    assert "改过的题目" not in question.text
    assert question.versions.count() == 1
    # A new question has a preview before it has a title or a category.
    page = preview(trainer_client, question_form("numeric", None, name=""))
    assert '<fieldset class="question q-numeric"' in page
