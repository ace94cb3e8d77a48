"""`as_time`: a date on a page is a <time class="date"> element, in local time."""

import datetime as dt

from django.template import Context, Template


def render(value, fmt="Y-m-d"):
    template = Template(
        '{% load dates i18n %}{% blocktranslate with when=value|as_time:"'
        + fmt
        + '" %}Due {{ when }}{% endblocktranslate %}'
    )
    return template.render(Context({"value": value}))


def test_a_date_is_one_time_element():
    assert render(dt.date(2025, 3, 14)) == (
        'Due <time class="date" datetime="2025-03-14">2025-03-14</time>'
    )


def test_a_moment_is_shown_in_the_academys_time_zone():
    utc = dt.datetime(2025, 3, 14, 17, 30, tzinfo=dt.UTC)  # 01:30 next day in Shanghai
    assert render(utc, "Y-m-d H:i") == (
        'Due <time class="date" datetime="2025-03-15T01:30+08:00">2025-03-15 01:30</time>'
    )


def test_no_value_shows_nothing():
    assert render(None) == "Due "
