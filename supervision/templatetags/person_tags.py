"""Pieces of a person's record that supervision owns: their status in each program, and the
evidence behind their levels (quiz attempts, role-play runs; the observations are
certification's `{% observation_history %}`)."""

from django import template
from django.utils import timezone

from certification.selectors import program_standing, programs_with_requirements
from quizzes.models import Attempt
from roleplays.models import Run, RunState

from ..assignment_selectors import person_assignments as assignments_of
from ..selectors import program_rows
from ..status import due_state

register = template.Library()

RECENT = 10


@register.inclusion_tag("supervision/tags/person_programs.html", takes_context=True)
def person_programs(context, person):
    """The person's status in every active program, as the dashboard shows it, and which
    requirements they still miss, with the links the learner has
    (`certification.selectors.program_standing`)."""
    today = timezone.localdate()
    viewer = context["request"].user
    rows = []
    for program in programs_with_requirements():
        row = program_rows(viewer, program, today).filter(pk=person.pk).first()
        if row is not None:
            rows.append(
                (
                    row,
                    due_state(status=row.status, due_on=row.due_on, today=today),
                    program_standing(person.user, program, today),
                )
            )
    return {"rows": rows}


@register.inclusion_tag("supervision/tags/person_assignments.html", takes_context=True)
def person_assignments(context, person):
    """The assignments aimed at the person, with edit / extend / withdraw for those the
    viewer may change (they come back to this page after)."""
    request = context["request"]
    return {
        "rows": assignments_of(request.user, person, timezone.localdate()),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("supervision/tags/person_activity.html")
def person_activity(person):
    """The latest quiz attempts and role-play runs: the evidence itself."""
    user = person.user
    return {
        "attempts": Attempt.objects.filter(user=user, finished_at__isnull=False)
        .select_related("quiz")
        .order_by("-finished_at")[:RECENT],
        "runs": Run.objects.filter(user=user, state=RunState.FINISHED)
        .select_related("scenario")
        .order_by("-finished_at")[:RECENT],
    }
