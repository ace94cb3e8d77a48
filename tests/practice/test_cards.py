"""Which cards content makes, and what their faces say: plain Python."""

from practice import cards

PHRASE = {
    "type": "phrase_card",
    "id": "b-phrase",
    "value": {
        "situation": "记者向你提问",
        "say": ["公司有指定的发言人，请留下您的联系方式。"],
        "never_say": ["无可奉告。", "别拍了！"],
        "why": "统一口径",
    },
}
DO_DONT = {
    "type": "do_dont",
    "id": "b-dodont",
    "value": {
        "title": "群诉现场",
        "rows": [
            {
                "type": "item",
                "id": "r1",
                "value": {"do": "请到室内坐下谈", "dont": "在大堂围着争论"},
            },
            {"type": "item", "id": "r2", "value": {"do": "耐心倾听", "dont": ""}},
        ],
    },
}
PROCEDURE = {
    "type": "procedure",
    "id": "b-fire",
    "value": {
        "title": "发现火情",
        "steps": [
            {
                "type": "item",
                "id": "s1",
                "value": {"text": "立即报告消防中控室", "time_limit": "立即"},
            },
            {"type": "item", "id": "s2", "value": {"text": "使用灭火器初期扑救", "time_limit": ""}},
            {"type": "item", "id": "s3", "value": {"text": "引导业主疏散", "time_limit": ""}},
        ],
    },
}


def make(*blocks):
    return cards.lesson_cards(7, "000100010001", "火情处置", list(blocks))


def test_a_phrase_card_makes_one_card_for_the_phrase_and_one_per_forbidden_phrase():
    made = make(PHRASE)
    assert [c.kind for c in made] == [cards.PHRASE, cards.FORBIDDEN, cards.FORBIDDEN]
    assert made[0].content["say"] == ["公司有指定的发言人，请留下您的联系方式。"]
    assert made[1].content["never"] == "无可奉告。"
    assert made[2].content["say"] == made[0].content["say"]  # what to say instead
    assert all(c.content["lesson"] == "火情处置" for c in made)


def test_only_do_dont_rows_with_a_dont_make_cards():
    made = make(DO_DONT)
    assert len(made) == 1
    assert made[0].content == {
        "lesson": "火情处置",
        "title": "群诉现场",
        "dont": "在大堂围着争论",
        "do": "请到室内坐下谈",
    }


def test_a_procedure_makes_one_card_with_its_steps_in_order():
    (card,) = make(PROCEDURE)
    assert card.kind == cards.PROCEDURE
    assert [s["text"] for s in card.content["steps"]][0] == "立即报告消防中控室"
    assert card.content["steps"][0]["time_limit"] == "立即"
    shuffled = cards.shuffled_steps(card.key, card.content["steps"])
    assert sorted(shuffled) == sorted(s["text"] for s in card.content["steps"])
    assert shuffled != [s["text"] for s in card.content["steps"]]
    assert shuffled == cards.shuffled_steps(card.key, card.content["steps"])  # stable


def test_keys_follow_the_block_not_its_position_or_text():
    edited = {**PHRASE, "value": {**PHRASE["value"], "say": ["您好，请留下联系方式。"]}}
    before = [c.key for c in make(PHRASE)]
    after = [c.key for c in make({"type": "heading", "id": "h", "value": "新标题"}, edited)]
    assert before == after


def test_new_cards_sort_in_teaching_order_and_wrong_answers_first():
    made = make(PROCEDURE, PHRASE)
    assert [c.order for c in made] == sorted(c.order for c in made)
    assert made[0].kind == cards.PROCEDURE
    assert made[0].order.startswith("1:")  # after wrong answers, whose order starts "0:"


def test_a_block_a_trainer_took_out_of_practice_makes_no_card():
    excluded = {**PROCEDURE, "value": {**PROCEDURE["value"], "in_practice": False}}
    assert make(excluded) == []
    # Blocks saved before the switch existed are in.
    assert len(make(PROCEDURE)) == 1


def test_other_blocks_and_incomplete_ones_make_no_cards():
    assert make({"type": "paragraph", "id": "p", "value": "<p>正文</p>"}) == []
    assert (
        make(
            {
                "type": "procedure",
                "id": "x",
                "value": {
                    "title": "一步",
                    "steps": [{"type": "item", "id": "s", "value": {"text": "只有一步"}}],
                },
            }
        )
        == []
    )
    assert (
        make({"type": "phrase_card", "id": "y", "value": {"situation": "", "say": ["您好"]}}) == []
    )


def plain(html):
    return html.replace("<p>", "").replace("</p>", "")


def test_question_faces_give_the_right_answer_of_each_kind():
    single = {
        "kind": "single",
        "text": "<p>电话铃响几声之内接起？</p>",
        "general_feedback": "<p>三声之内。</p>",
        "choices": [
            {"id": "a", "text": "三声", "fraction": 1.0},
            {"id": "b", "text": "五声", "fraction": 0.0},
        ],
    }
    faces = cards.question_faces(single, plain)
    assert faces == {
        "question": "电话铃响几声之内接起？",
        "options": ["三声", "五声"],
        "answer": "三声",
        "explanation": "三声之内。",
    }
    truefalse = {"kind": "truefalse", "text": "可以说不知道", "answer": False}
    assert cards.question_faces(truefalse, plain)["answer"] == "错"
    ordering = {
        "kind": "ordering",
        "text": "顺序",
        "items": [{"id": "1", "text": "问好"}, {"id": "2", "text": "报单位"}],
    }
    assert cards.question_faces(ordering, plain)["answer"] == "问好 → 报单位"
    numeric = {
        "kind": "numeric",
        "text": "温度",
        "answers": [{"value": 50, "tolerance": 5, "fraction": 1}],
    }
    assert cards.question_faces(numeric, plain)["answer"] == "50 ± 5"
    short = {
        "kind": "shortanswer",
        "text": "禁语",
        "answers": [{"text": "喂", "fraction": 1}, {"text": "嘿", "fraction": 0.5}],
    }
    assert cards.question_faces(short, plain)["answer"] == "喂"


def test_essays_and_descriptions_make_no_card():
    assert cards.question_faces({"kind": "essay", "text": "写一段话"}, plain) is None
    assert cards.question_faces({"kind": "description", "text": "说明"}, plain) is None
