"""`{{ value|as_time:"Y-m-d" }}`: a date or time as a `<time class="date">` element.

A date must never break across two lines ("2025-03-" / "14" at 360 px): the element keeps
it on one (`time.date` in academy.css), and carries the value machine-readable in its
`datetime` attribute. Usable inside `{% blocktranslate with … %}`: the result is safe HTML.
"""

import datetime as dt

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import format_html

register = template.Library()


@register.filter(expects_localtime=True)
def as_time(value, fmt: str = "Y-m-d"):
    """`value` (a date or datetime, already in local time) formatted with Django's date
    format `fmt`; "" for no value."""
    if not isinstance(value, dt.date):
        return ""
    machine = value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else None
    return format_html(
        '<time class="date" datetime="{}">{}</time>',
        machine or value.isoformat(),
        format_date(value, fmt),
    )
