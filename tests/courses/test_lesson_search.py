"""The learner's lesson search: what it finds, in which order, and what the page shows.
Real Chinese queries, on SQLite and PostgreSQL alike."""

import json

import pytest
from django.urls import reverse

from courses.models import LessonPage, ModulePage
from courses.selectors import lessons_found
from tests.factories import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(course):
    """Lessons whose words sit inside longer Chinese text, as real titles and cards do."""
    module = ModulePage.objects.get(slug="module-1")
    made = {}
    for slug, title, blocks in [
        ("quick-ref", "前台电话礼仪速查", [("paragraph", "<p>三声之内接起。</p>")]),
        (
            "visitors",
            "来访接待",
            [
                (
                    "phrase_card",
                    {
                        "situation": "业主打来电话询问停水时间",
                        "say": [{"type": "item", "value": "您好，停水预计到下午三点", "id": "s"}],
                        "never_say": ["不知道，你问物业公司"],
                        "why": "",
                    },
                )
            ],
        ),
        ("complaints", "投诉的分类", [("paragraph", "<p>有效投诉与无效投诉。</p>")]),
    ]:
        made[slug] = module.add_child(
            instance=LessonPage(title=title, slug=slug, body=body(*blocks))
        )
    return made


def titles(hits):
    return ["".join(part.text for part in hit.title) for hit in hits]


def test_a_word_inside_a_title_or_a_phrase_card_is_found_title_first(lessons):
    hits = lessons_found("电话")
    assert titles(hits) == ["前台电话礼仪速查", "来访接待"]
    assert [p.text for p in hits[0].title if p.hit] == ["电话"]
    card = hits[1]
    assert "".join(p.text for p in card.excerpt) == "业主打来电话询问停水时间"
    assert [p.text for p in card.excerpt if p.hit] == ["电话"]
    assert card.url.endswith("/module-1/visitors/") and card.module_title == "模块1"


def test_every_word_typed_must_occur(lessons):
    assert titles(lessons_found("停水 不知道")) == ["来访接待"]
    assert titles(lessons_found("电话 投诉")) == []
    assert lessons_found("  ，") == []


def test_words_typed_together_are_found_apart(lessons):
    hits = lessons_found("业主停水")  # "业主打来电话询问停水时间": both words, not together
    assert titles(hits) == ["来访接待"]
    assert [p.text for p in hits[0].excerpt if p.hit] == ["业主", "停水"]


def test_only_live_lessons_of_live_modules(lessons):
    lessons["quick-ref"].unpublish()
    assert titles(lessons_found("电话")) == ["来访接待"]
    ModulePage.objects.get(slug="module-1").unpublish()
    assert lessons_found("电话") == []


def test_a_published_change_is_found_at_once(lessons, django_user_model):
    lesson = lessons["complaints"]
    lesson.body = json.dumps([{"type": "heading", "value": "电话投诉怎么记录"}])
    lesson.save_revision().publish()
    assert titles(lessons_found("电话投诉")) == ["投诉的分类"]
    assert "有效投诉" not in LessonPage.objects.get(pk=lesson.pk).search_text


def test_the_results_page_marks_the_hits(lessons, learner_client):
    page = learner_client.get(reverse("lesson_search"), {"q": "电话"}).content.decode()
    assert "<mark>电话</mark>" in page
    assert "找到 2 个课时" in page
    # What a learner types is shown back escaped, never as markup.
    page = learner_client.get(reverse("lesson_search"), {"q": "<b>电话"}).content.decode()
    assert "&lt;b&gt;电话" in page and "<b>电话" not in page


def test_the_search_box_is_on_the_learner_home(lessons, learner_client):
    page = learner_client.get(reverse("learner_home")).content.decode()
    assert f'action="{reverse("lesson_search")}"' in page


def test_searching_needs_a_login(client, lessons):
    response = client.get(reverse("lesson_search"), {"q": "电话"})
    assert response.status_code == 302 and "/login/" in response["Location"]
