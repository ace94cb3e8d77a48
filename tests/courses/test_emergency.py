"""The emergency cards' rule (`courses.emergency`), as plain Python: which blocks become
cards, how they are grouped and numbered, and how new the page is."""

import datetime as dt

from courses.emergency import LessonSource, Step, emergency_lessons, updated_at

TYPHOON = [
    {"type": "paragraph", "value": "<p>台风来临前要做好准备。</p>"},
    {
        "type": "procedure",
        "value": {
            "title": "台风预警处置",
            "steps": [
                {"text": "收到预警，报告主管。", "time_limit": "立即"},
                {"text": "通知业主收回阳台物品。", "time_limit": ""},
            ],
        },
    },
    {
        "type": "phrase_card",
        "value": {
            "situation": "台风预警通知",
            "say": ["尊敬的业主您好"],
            "never_say": ["不关我们的事"],
            "why": "",
        },
    },
]
# As Wagtail's editor saves ListBlock items: {"type": "item", "value": …, "id": …}.
LIFT = [
    {
        "type": "procedure",
        "value": {
            "title": "电梯困人处置",
            "steps": [
                {
                    "type": "item",
                    "value": {"text": "安抚被困人员。", "time_limit": "立即"},
                    "id": "a",
                },
                {"type": "item", "value": {"text": "通知维保单位。"}, "id": "b"},
            ],
        },
    },
    {
        "type": "procedure",
        "value": {"title": "救出后", "steps": [{"type": "item", "value": {"text": "回访。"}}]},
    },
    {
        "type": "phrase_card",
        "value": {"situation": "", "say": [{"type": "item", "value": "请别着急", "id": "c"}]},
    },
]
PHRASES_ONLY = [{"type": "phrase_card", "value": {"situation": "来访", "say": ["您好"]}}]


def source(lesson_id, body, published=None):
    return LessonSource(lesson_id, f"课{lesson_id}", f"/courses/m/{lesson_id}/", body, published)


def test_one_card_per_procedure_grouped_by_lesson_in_course_order():
    lessons = emergency_lessons([source(1, TYPHOON), source(2, LIFT)])
    assert [lesson.title for lesson in lessons] == ["课1", "课2"]
    assert [card.title for card in lessons[0].procedures] == ["台风预警处置"]
    assert [card.title for card in lessons[1].procedures] == ["电梯困人处置", "救出后"]
    assert lessons[0].procedures[0].steps == (
        Step("收到预警，报告主管。", "立即"),
        Step("通知业主收回阳台物品。", ""),
    )
    assert lessons[1].procedures[0].steps == (
        Step("安抚被困人员。", "立即"),
        Step("通知维保单位。"),
    )
    assert lessons[1].url == "/courses/m/2/"


def test_cards_are_numbered_through_the_page_for_the_jump_list():
    lessons = emergency_lessons([source(1, TYPHOON), source(2, LIFT)])
    anchors = [card.anchor for lesson in lessons for card in lesson.procedures]
    assert anchors == ["card-1", "card-2", "card-3"]
    assert [lesson.anchor for lesson in lessons] == ["lesson-1", "lesson-2"]


def test_phrase_cards_come_with_their_lessons_procedures():
    typhoon, lift = emergency_lessons([source(1, TYPHOON), source(2, LIFT)])
    assert typhoon.phrases[0].situation == "台风预警通知"
    assert typhoon.phrases[0].say == ("尊敬的业主您好",)
    assert typhoon.phrases[0].never_say == ("不关我们的事",)
    assert lift.phrases[0].say == ("请别着急",) and lift.phrases[0].never_say == ()


def test_a_lesson_without_a_procedure_is_no_card():
    assert emergency_lessons([source(1, PHRASES_ONLY), source(2, [])]) == []
    empty = [{"type": "procedure", "value": {"title": "空", "steps": [{"text": "  "}]}}]
    assert emergency_lessons([source(3, empty)]) == []
    # Blocks the rule does not know are passed over.
    odd = [{"type": "video", "value": {"url": "x"}}, {"type": "heading", "value": "标题"}]
    assert [x.lesson_id for x in emergency_lessons([source(4, odd + TYPHOON)])] == [4]


def test_the_page_is_as_new_as_the_newest_lesson_it_shows():
    old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    new = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    newest_unshown = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    lessons = emergency_lessons(
        [source(1, TYPHOON, old), source(2, LIFT, new), source(3, PHRASES_ONLY, newest_unshown)]
    )
    assert updated_at(lessons) == new
    assert updated_at(emergency_lessons([source(1, TYPHOON)])) is None
    assert updated_at([]) is None
