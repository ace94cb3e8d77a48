from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..forms import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def due_text(entry) -> str:
    """How a `selectors.AssignedProgram` stands against its due date: "3 days overdue",
    "Due today", "Due in 5 days"; nothing once the person is compliant."""
    if entry.overdue:
        return ngettext("%(days)d day overdue", "%(days)d days overdue", entry.days_overdue) % {
            "days": entry.days_overdue
        }
    if entry.done or entry.days_left < 0:
        return ""
    if entry.days_left == 0:
        return _("Due today")
    return ngettext("Due in %(days)d day", "Due in %(days)d days", entry.days_left) % {
        "days": entry.days_left
    }


@register.inclusion_tag("supervision/tags/my_assignments.html")
def my_assignments(user):
    """The learner's assigned programs with due dates and status ("my tasks" on the learner
    home); renders nothing when nothing is assigned. Three queries at most."""
    from ..selectors import assignments_for

    today = timezone.localdate()
    return {"entries": assignments_for(user, today), "today": today}
