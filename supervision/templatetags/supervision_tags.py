from django import template

from ..forms import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
