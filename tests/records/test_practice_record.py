"""The person record's practice section: how often and how well the person practises, the
30-day strip, cards held per competency; seen by the person and their supervisor only, and
never their answers. Read in a constant number of queries."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice import schedule
from practice.models import Card
from practice.selectors import activity_for
from tests.practice_factories import hold_cards, open_lesson, practice_lesson, rate_once

pytestmark = pytest.mark.django_db


def test_activity_counts_days_ratings_and_held_cards_in_constant_queries(org, competencies):
    user = org["mine"].user
    lesson, cards = practice_lesson(competencies["phrases"], 5)
    open_lesson(user, lesson)
    today = timezone.localdate()
    hold_cards(user, cards[:2], start=timezone.now() - timedelta(days=20))
    rate_once(user, cards[2], rating=schedule.AGAIN)
    with CaptureQueriesContext(connection) as few:
        activity = activity_for(user)
    assert len(few) == 3
    assert (activity.cards_rated, activity.cards_held) == (3, 2)
    assert activity.last_practised == today and activity.streak == 1
    assert activity.reviews_last_30 == 9 and activity.recall_last_30 == pytest.approx(8 / 9)
    assert len(activity.by_day) == 30 and activity.by_day[-1] == (today, 1)
    assert sum(n for _day, n in activity.by_day) == 9

    # Seen from a day in the past, what came later does not count.
    earlier = activity_for(user, today - timedelta(days=1))
    assert earlier.last_practised < today and earlier.reviews_last_30 == 8
    # A retired card is no longer in the figures.
    Card.objects.filter(pk=cards[0]).update(active=False)
    assert (activity_for(user).cards_rated, activity_for(user).cards_held) == (2, 1)

    hold_cards(user, cards[3:], start=timezone.now() - timedelta(days=15))
    with CaptureQueriesContext(connection) as many:
        activity_for(user)
    assert len(many) == len(few)


def practice_section(client, person) -> BeautifulSoup:
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    heading = page.find("h2", id="practice")
    assert heading is not None and heading.get_text(strip=True) == "练习"
    return heading.find_next_sibling("section")


def test_the_person_record_shows_practice_to_the_person_and_their_supervisor(
    client, org, competencies, following_up
):
    mine = org["mine"]
    lesson, cards = practice_lesson(competencies["phrases"], 5)
    open_lesson(mine.user, lesson)
    following_up(hold_cards, mine.user, cards[:4], start=timezone.now() - timedelta(days=25))
    rate_once(mine.user, cards[4], rating=schedule.AGAIN)

    for viewer in (org["supervisor"], mine):
        client.force_login(viewer.user)
        section = practice_section(client, mine)
        facts = {
            dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
            for dt in section.select(".practice-facts dt")
        }
        assert facts["连续练习"] == "1 天"
        assert facts["评分次数（近30天）"] == "17"
        assert facts["记得的比例（近30天）"] == "94%"  # 16 of 17 not 忘了
        assert facts["已练卡片 / 已牢记"] == "5 / 4"
        assert facts["最近练习"] == timezone.localdate().isoformat()
        strip = section.select(".practice-strip li")
        assert len(strip) == 30 and strip[-1]["class"] == ["strip-1"]
        held = section.select_one(".practice-competencies li")
        assert "规范用语" in held.get_text() and "已牢记 4 / 5 张" in held.get_text()
        assert "计为知识已检验" in held.get_text()
        # How the person practises, never what they answered.
        assert "要做的第" not in str(section) and "不要做" not in str(section)

    client.force_login(org["other_supervisor"].user)
    assert client.get(f"/people/{mine.pk}/").status_code == 404
    client.force_login(org["stranger"].user)
    assert client.get(f"/people/{mine.pk}/").status_code == 404


def test_someone_who_never_practised_reads_so(client, org, competencies):
    practice_lesson(competencies["phrases"], 5)
    client.force_login(org["supervisor"].user)
    section = practice_section(client, org["mine"])
    assert "还没有练习过" in section.get_text()
    assert "已牢记 0 / 5 张" in section.get_text()
