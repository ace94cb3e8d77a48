"""How a search is read, ranked, cut out and marked (academy.search_text): plain Python."""

from academy.search_text import (
    MAX_TERMS,
    Segment,
    excerpt,
    marked,
    matches,
    rank,
    terms,
    words_of,
)


def hits(segments):
    return [s.text for s in segments if s.hit]


def test_terms_are_cut_at_spaces_and_punctuation_of_both_scripts():
    assert terms("  电话  礼仪 ") == ("电话", "礼仪")
    assert terms("电话，礼仪；投诉") == ("电话", "礼仪", "投诉")
    assert terms("规范用语测验-1") == ("规范用语测验", "1")
    assert terms("电话 电话") == ("电话",)
    assert terms("") == () and terms(None) == () and terms(" ，。 ") == ()


def test_full_width_letters_and_case_count_as_plain_ones():
    assert terms("ＷｉＦｉ 密码") == ("wifi", "密码")
    assert matches("客服WiFi密码", terms("ＷＩＦＩ"))


def test_at_most_five_terms():
    assert len(terms("一 二 三 四 五 六 七")) == MAX_TERMS


def test_every_term_must_occur():
    assert matches("前台电话礼仪速查", ("电话", "礼仪"))
    assert not matches("前台电话礼仪速查", ("电话", "投诉"))
    assert not matches("前台电话礼仪速查", ())


def test_hits_are_marked_in_the_text_as_written():
    assert marked("前台电话礼仪速查", ("电话",)) == [
        Segment("前台"),
        Segment("电话", hit=True),
        Segment("礼仪速查"),
    ]
    # The full-width original is what is shown, though the half-width term found it.
    assert hits(marked("连ＷｉＦｉ密码", ("wifi",))) == ["ＷｉＦｉ"]
    # Overlapping and adjacent hits become one mark.
    assert hits(marked("三声之内接起电话", ("接起", "起电", "电话"))) == ["接起电话"]


def test_rank_puts_titles_holding_every_term_first_then_the_closest_title():
    found = terms("电话")
    body_only = rank("接待来访", "电话要三声之内接起", found)
    long_title = rank("前台电话礼仪速查与常见问题", "", found)
    short_title = rank("前台电话礼仪速查", "", found)
    starts = rank("电话礼仪：三声之内接起", "", found)
    assert sorted([body_only, long_title, short_title, starts]) == [
        starts,
        short_title,
        long_title,
        body_only,
    ]


def test_rank_counts_occurrences_in_the_text_when_titles_tie():
    found = ("投诉",)
    assert rank("课", "投诉 投诉 投诉", found) < rank("课", "投诉", found)


def test_excerpt_is_the_passage_with_most_terms_cut_around_its_hit():
    text = "第一段没有关键字。\n业主来电话时要问好。\n电话铃响三声之内接起，先说您好再报单位。"
    segments = excerpt(text, ("电话", "三声"))
    assert "".join(s.text for s in segments) == "电话铃响三声之内接起，先说您好再报单位。"
    assert hits(segments) == ["电话", "三声"]

    long_line = "甲" * 100 + "电话" + "乙" * 100
    cut = excerpt(long_line, ("电话",), width=40)
    assert cut[0] == Segment("…") and cut[-1] == Segment("…")
    assert hits(cut) == ["电话"]
    assert sum(len(s.text) for s in cut) == 40 + 2


def test_no_excerpt_when_no_passage_holds_a_term():
    assert excerpt("没有这个词", ("电话",)) == []


def test_chinese_typed_without_spaces_is_also_read_as_two_character_words():
    assert words_of(terms("业主情绪激动")) == ("业主", "情绪", "激动")
    assert words_of(terms("投诉处理流程")) == ("投诉", "处理", "流程")
    assert words_of(terms("投诉流程 wifi")) == ("投诉", "流程", "wifi")
    assert words_of(terms("首问责任制")) == ("首问", "责任制")  # the odd character joins
    assert words_of(terms("电话 禁语")) == ("电话", "禁语")  # short terms stay as typed
