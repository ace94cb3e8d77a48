"""Scheduling (FSRS), sessions and streaks: plain Python."""

from datetime import UTC, date, datetime, timedelta

import pytest

from practice import schedule

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_a_remembered_card_comes_back_later_than_a_forgotten_one():
    good = schedule.review(None, schedule.GOOD, T0)
    again = schedule.review(None, schedule.AGAIN, T0)
    easy = schedule.review(None, schedule.EASY, T0)
    assert again.due < good.due < easy.due
    assert good.retrievability is None  # a new card had no memory to measure


def test_successful_reviews_space_out_and_a_lapse_brings_the_card_back_soon():
    memory, at, gaps = None, T0, []
    for _ in range(5):
        reviewed = schedule.review(memory, schedule.GOOD, at)
        gaps.append(reviewed.due - at)
        memory, at = reviewed.memory, reviewed.due
    assert gaps == sorted(gaps) and gaps[-1] > timedelta(days=7)
    lapse = schedule.review(memory, schedule.AGAIN, at)
    assert lapse.due - at < timedelta(days=1)
    assert 0 < lapse.retrievability <= 1


def test_the_same_ratings_always_give_the_same_due_dates():
    first = schedule.review(schedule.review(None, 3, T0).memory, 3, T0 + timedelta(days=1))
    second = schedule.review(schedule.review(None, 3, T0).memory, 3, T0 + timedelta(days=1))
    assert first.due == second.due


def test_a_rating_outside_the_four_is_refused():
    with pytest.raises(ValueError):
        schedule.review(None, 5, T0)


def test_held_needs_review_state_and_three_weeks_of_stability():
    assert schedule.is_held(schedule.REVIEW_STATE, 21)
    assert not schedule.is_held(schedule.REVIEW_STATE, 20.9)
    assert not schedule.is_held(1, 40)  # still learning
    assert not schedule.is_held(None, None)


def test_an_offline_rating_counts_at_its_own_time_within_limits():
    now = T0
    assert schedule.review_time(now - timedelta(hours=3), now, None) == now - timedelta(hours=3)
    assert schedule.review_time(now + timedelta(hours=1), now, None) == now  # a fast clock
    assert schedule.review_time(now - timedelta(days=90), now, None) == now - timedelta(
        days=schedule.OFFLINE_DAYS
    )
    last = now - timedelta(hours=1)
    assert schedule.review_time(now - timedelta(hours=2), now, last) == last  # in order
    assert schedule.review_time(None, now, None) == now


def test_new_cards_fill_the_session_within_the_day_allowance():
    assert schedule.new_allowance(0, 0) == schedule.NEW_PER_DAY
    assert schedule.new_allowance(4, 0) == schedule.NEW_PER_DAY - 4
    assert schedule.new_allowance(0, schedule.SESSION_CARDS - 3) == 3
    assert schedule.new_allowance(schedule.NEW_PER_DAY + 2, 0) == 0


def test_a_session_puts_due_cards_first_and_stops_at_its_size():
    due, new = list(range(15)), [f"n{i}" for i in range(10)]
    held = schedule.session(due, new)
    assert len(held) == schedule.SESSION_CARDS
    assert held[:15] == due and held[15:] == new[:5]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], 0),
        ([date(2026, 11, 30)], 1),  # yesterday: today's practice may still come
        ([date(2026, 12, 1), date(2026, 11, 30), date(2026, 11, 29)], 3),
        ([date(2026, 12, 1), date(2026, 11, 29)], 1),  # a gap ends it
        ([date(2026, 11, 28)], 0),
    ],
)
def test_the_streak_counts_consecutive_days_to_today_or_yesterday(days, expected):
    assert schedule.streak(days, date(2026, 12, 1)) == expected
