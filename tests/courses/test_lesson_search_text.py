"""The text a lesson is searched by (courses.search): plain Python."""

from courses.search import LessonCandidate, lesson_hits, lesson_search_text

BODY = [
    {"type": "heading", "value": "接听电话", "id": "a1"},
    {
        "type": "paragraph",
        "value": "<p>铃响<b>三声</b>之内接起。</p><ul><li>先问好</li><li>再报单位</li></ul>",
    },
    {
        "type": "phrase_card",
        "value": {
            "situation": "业主来电投诉噪音",
            # Wagtail's ListBlock items, and the older plain-list form.
            "say": [{"type": "item", "value": "您好，这里是客服中心", "id": "x"}],
            "never_say": ["喂，什么事？"],
            "why": "第一句话决定业主的情绪",
        },
    },
    {"type": "video", "value": {"url": "https://example.com/dianhua.mp4", "caption": "示范录像"}},
    {"type": "callout", "value": {"kind": "tip", "title": "", "text": "<p>A &amp; B</p>"}},
]


def test_every_passage_of_every_block_is_one_line_without_markup():
    text = lesson_search_text("接电话的基本功", BODY)
    assert text.splitlines() == [
        "接电话的基本功",
        "接听电话",
        "铃响三声之内接起。",
        "先问好",
        "再报单位",
        "业主来电投诉噪音",
        "您好，这里是客服中心",
        "喂，什么事？",
        "第一句话决定业主的情绪",
        "示范录像",
        "A & B",
    ]


def test_links_files_ids_and_choices_are_not_text():
    text = lesson_search_text("", BODY)
    assert "example.com" not in text and "tip" not in text and "a1" not in text


def candidate(title, text, summary=""):
    return LessonCandidate(
        title=title, summary=summary, search_text=text, url=f"/{title}/", module_title="模块"
    )


def test_hits_best_first_with_the_passage_or_else_the_summary():
    found = ("电话",)
    hits = lesson_hits(
        [
            candidate("来访接待", "接待时手机静音。\n来访时有电话响起，先致歉再接。"),
            candidate("前台电话礼仪速查", "三声之内接起", summary="电话礼仪一页纸"),
        ],
        found,
        limit=10,
    )
    assert [h.url for h in hits] == ["/前台电话礼仪速查/", "/来访接待/"]
    assert [s.text for s in hits[0].title if s.hit] == ["电话"]
    assert "".join(s.text for s in hits[0].excerpt) == "电话礼仪一页纸"
    assert "".join(s.text for s in hits[1].excerpt) == "来访时有电话响起，先致歉再接。"
    assert len(lesson_hits([candidate("电话", "")] * 5, found, limit=3)) == 3
    # No summary either: the lesson's first passage, cut.
    (hit,) = lesson_hits([candidate("电话礼仪", "甲" * 100 + "\n第二段")], found, limit=1)
    assert "".join(s.text for s in hit.excerpt) == "甲" * 80 + "…"
