"""In the browser: a learner practises a session one-handed at 360 px and the schedule moves
the cards; a rating made with no connection arrives once when it comes back."""

import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.services import lesson_record_visit
from practice.models import CardState, Review
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD
from tests.practice.conftest import build_practice_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE_EMPTY = "() => JSON.parse(localStorage.getItem('kefu.practice.queue') || '[]').length === 0"


@pytest.fixture
def deck_of_five(learner):
    _, first, second = build_practice_course()
    lesson_record_visit(user=learner.user, lesson=first)
    lesson_record_visit(user=learner.user, lesson=second)
    return learner


def reveal_and_rate(page, label):
    card = page.locator(".practice-card:visible")
    card.get_by_text("显示答案").click()
    card.get_by_role("button", name=label, exact=True).click()


def test_learner_practises_a_session_and_the_schedule_moves_the_cards(open_page, deck_of_five):
    page = open_page(PHONE)
    log_in(page, deck_of_five.user.username, PASSWORD)
    expect(page.locator(".practice-due strong")).to_have_text("5")
    page.get_by_role("link", name="开始练习（约 5 分钟）").click()
    expect(page.locator("[data-progress]")).to_have_text("第 1 / 5 张")
    expect(page.locator(".practice-card:visible .practice-situation")).to_have_text("记者向你提问")
    screenshot(page, "practice-front")
    page.locator(".practice-card:visible").get_by_text("显示答案").click()
    expect(page.locator(".practice-card:visible .practice-say li").first).to_contain_text(
        "指定的发言人"
    )
    screenshot(page, "practice-back")
    page.locator(".practice-card:visible").get_by_role("button", name="很熟").click()
    steps = [("第 2 / 5 张", "记得"), ("第 3 / 5 张", "忘了"), ("第 4 / 6 张", "记得")]
    for progress, label in [*steps, ("第 5 / 6 张", "记得")]:
        expect(page.locator("[data-progress]")).to_have_text(progress)
        reveal_and_rate(page, label)
    # The forgotten card comes back at the end of the session.
    expect(page.locator("[data-progress]")).to_have_text("第 6 / 6 张")
    expect(page.locator(".practice-card:visible .practice-never")).to_have_text("「别拍了！」")
    reveal_and_rate(page, "模糊")
    expect(page.get_by_role("heading", name="今天的练习完成了")).to_be_visible()
    expect(page.locator("[data-done-figures]")).to_have_text(
        "今天练了 5 张卡片，忘了的 1 次都已重新过了一遍。"
    )
    page.wait_for_function(QUEUE_EMPTY)

    assert Review.objects.count() == 6
    relearnt = CardState.objects.get(card__key__endswith=":never:1")
    assert relearnt.reps == 2 and list(relearnt.card.reviews.values_list("rating", flat=True)) == [
        1,
        2,
    ]
    now = timezone.now()
    easy = CardState.objects.get(card__kind="phrase")
    assert (easy.due - now).days >= 1  # 很熟: days away
    soon = CardState.objects.exclude(pk=easy.pk)
    assert all(s.due > now for s in soon)  # none due straight away
    page.reload()
    expect(page.get_by_role("heading", name="现在没有待练的卡片")).to_be_visible()


def test_a_rating_made_offline_arrives_once_when_the_connection_returns(open_page, deck_of_five):
    page = open_page(PHONE)
    log_in(page, deck_of_five.user.username, PASSWORD)
    page.goto("/practice/")
    page.context.set_offline(True)
    reveal_and_rate(page, "记得")
    expect(page.locator("[data-queue-status]")).to_have_text(
        "有 1 条评分还没有送达，联网后会自动发送。"
    )
    expect(page.locator("[data-progress]")).to_have_text("第 2 / 5 张")
    assert Review.objects.count() == 0

    page.context.set_offline(False)
    page.wait_for_function(QUEUE_EMPTY)
    expect(page.locator("[data-queue-status]")).to_have_text("")
    assert Review.objects.count() == 1
    rated = Review.objects.get()
    assert rated.reviewed_at < rated.received_at  # counted when it was made

    # The same rating sent again (a second tab flushing the same queue) changes nothing.
    page.evaluate(
        "(item) => { localStorage.setItem('kefu.practice.queue', JSON.stringify([item]));"
        " window.dispatchEvent(new Event('online')); }",
        {
            "id": str(rated.client_id),
            "card": rated.card_id,
            "rating": 3,
            "reviewed_at": rated.reviewed_at.isoformat(),
            "user": str(deck_of_five.user.pk),
        },
    )
    page.wait_for_function(QUEUE_EMPTY)
    assert Review.objects.count() == 1
    # A reload does not ask for the card already rated.
    page.reload()
    expect(page.locator("[data-progress]")).to_have_text("第 1 / 4 张")
    done = json.loads(page.evaluate("localStorage.getItem('kefu.practice.done')"))
    assert done == [str(rated.client_id)]


def test_practice_opened_with_no_signal_queues_ratings_until_it_returns(
    open_page, live_server, deck_of_five
):
    """The practice page kept by the service worker opens offline; its ratings wait on the
    phone and arrive once, and a card rated there is not asked again from the kept copy."""
    from tests.browser.test_offline import kept

    page = open_page(PHONE)
    log_in(page, deck_of_five.user.username, PASSWORD)
    page.goto("/practice/")
    # Once the worker is active, a reload goes through it whether or not it has claimed
    # this page yet: the worker keeps the copy then.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    kept(page, live_server.url + "/practice/")

    page.context.set_offline(True)
    page.goto("/practice/")
    expect(page.locator("#offline-note")).to_be_visible()
    reveal_and_rate(page, "记得")
    expect(page.locator("[data-queue-status]")).to_contain_text("有 1 条评分还没有送达")
    page.goto("/practice/")  # the kept copy again: the rated card is not asked twice
    expect(page.locator("[data-progress]")).to_have_text("第 1 / 4 张")
    assert Review.objects.count() == 0

    page.context.set_offline(False)
    page.goto("/")
    page.wait_for_function(QUEUE_EMPTY)
    assert Review.objects.count() == 1


def test_logging_out_sends_the_queue_before_the_device_forgets_it(open_page, deck_of_five):
    """Logging out clears what the site stored on the phone: queued ratings go first."""
    import uuid

    from practice.selectors import deck

    page = open_page(PHONE)
    log_in(page, deck_of_five.user.username, PASSWORD)
    card = deck(deck_of_five.user).first()
    client_id = str(uuid.uuid4())
    # A rating left in the queue (sent from no page yet), as after a day without signal.
    page.evaluate(
        "(item) => localStorage.setItem('kefu.practice.queue', JSON.stringify([item]))",
        {"id": client_id, "card": card.pk, "rating": 4, "user": str(deck_of_five.user.pk)},
    )
    page.get_by_role("button", name="退出").click()
    expect(page.locator("#id_username")).to_be_visible()
    assert list(Review.objects.values_list("client_id", flat=True)) == [uuid.UUID(client_id)]
    assert page.evaluate("localStorage.getItem('kefu.practice.queue')") is None
