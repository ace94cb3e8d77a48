from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import status as st
from ..forms import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def due_text(entry) -> str:
    """How a due date stands (`status.due_state`; `entry` is a `status.Due` or has one as
    `.due`, like a `selectors.AssignedProgram`): "3 days overdue", "Due today", "Due in 5
    days"; nothing once the person is compliant."""
    due = getattr(entry, "due", entry)
    if due.state == st.OVERDUE:
        return ngettext("%(days)d day overdue", "%(days)d days overdue", due.days) % {
            "days": due.days
        }
    if due.state != st.DUE:
        return ""
    if due.days == 0:
        return _("Due today")
    return ngettext("Due in %(days)d day", "Due in %(days)d days", due.days) % {"days": due.days}


@register.inclusion_tag("supervision/includes/due.html")
def due_badge(due):
    """A due date as every page shows it (`status.due_state`): overdue as the days past it,
    never the date; due as the date and the days left; nothing when done."""
    return {"due": due, "text": due_text(due)}


@register.inclusion_tag("supervision/tags/my_assignments.html")
def my_assignments(user):
    """The learner's assigned programs with due dates and status ("my tasks" on the learner
    home); renders nothing when nothing is assigned. Three queries at most."""
    from ..selectors import assignments_for

    today = timezone.localdate()
    return {"entries": assignments_for(user, today), "today": today}
