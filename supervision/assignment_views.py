"""Changing assignments: the list of the assignments a user may change, one assignment with
its history, and editing, extending and withdrawing it with a reason. Reached from the
assignment list and from a person's record (`next` brings the user back there)."""

from __future__ import annotations

from academy.http import status_for
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certification.models import Program

from .assignment_selectors import (
    MANAGE_ALL,
    assignment_history,
    assignment_rows,
    assignments_managed_by,
    people_covered,
    with_targets,
)
from .coverage import withdrawn
from .forms import AssignmentChangeForm
from .services import (
    SupervisionError,
    assignment_edit,
    assignment_extend,
    assignment_withdraw,
)

PAGE_SIZE = 50
ACTIONS = ("edit", "extend", "withdraw")


def _may_list(user) -> bool:
    return user.has_perm(MANAGE_ALL) or user.has_perm("staff.view_supervised_staff")


@login_required
@require_GET
def assignment_list(request):
    """Every assignment the user may change (supervisors: their own sites and teams;
    trainers: all), newest first, with the withdrawn ones marked."""
    if not _may_list(request.user):
        raise Http404
    assignments = with_targets(assignments_managed_by(request.user)).order_by("-created_at", "-pk")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/assignments.html",
        {
            "page": page,
            "rows": assignment_rows(request.user, page, timezone.localdate()),
            "may_assign": request.user.has_perm("staff.view_supervised_staff"),
        },
    )


def _managed(request, pk: int):
    """The assignment, if the user may change it; anybody else's is not found."""
    assignment = with_targets(assignments_managed_by(request.user)).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def _back_url(request) -> str:
    """Where to return after a change: `next` if it is one of our pages, else the list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("assignment_list")


@login_required
def assignment_change(request, pk: int, action: str = ""):
    """One assignment with its history; with `action` (edit, extend, withdraw) its form."""
    if action and action not in ACTIONS:
        raise Http404
    if request.method not in ("GET", "HEAD", "POST") or (request.method == "POST" and not action):
        return HttpResponseNotAllowed(["GET", "POST"] if action else ["GET"])
    assignment = _managed(request, pk)
    status = 200
    form = None
    error = ""
    if action:
        form = AssignmentChangeForm(
            request.POST if request.method == "POST" else None,
            action=action,
            programs=Program.objects.filter(active=True).order_by("name"),
            initial={"program": assignment.program_id, "due_on": assignment.due_on},
        )
        if withdrawn(assignment):
            error = _("This assignment was withdrawn; it can no longer be changed.")
            status = 409
            form = None
        elif request.method == "POST":
            if form.is_valid():
                try:
                    done = _apply(request, assignment, action, form.cleaned_data)
                except SupervisionError as refusal:
                    error, status = refusal.message, status_for(refusal)
                else:
                    messages.success(request, done)
                    return redirect(_back_url(request))
            else:
                status = 400
    return render(
        request,
        "supervision/assignment.html",
        {
            "assignment": assignment,
            "withdrawn": withdrawn(assignment),
            "covered": people_covered(assignment),
            "history": assignment_history(assignment),
            "action": action,
            "form": form,
            "error": error,
            "next": _back_url(request),
        },
        status=status,
    )


def _apply(request, assignment, action: str, data: dict) -> str:
    """Make the change; the confirmation to show."""
    reason = data.get("reason", "")
    values = {"program": assignment.program, "target": assignment.target_label()}
    if action == "withdraw":
        assignment_withdraw(by=request.user, assignment=assignment, reason=reason)
        return _("Withdrew %(program)s for %(target)s.") % values
    if action == "extend":
        changed = assignment_extend(
            by=request.user, assignment=assignment, due_on=data["due_on"], reason=reason
        )
        return _("Extended %(program)s for %(target)s to %(due)s.") % {
            **values,
            "due": changed.due_on.isoformat(),
        }
    changed = assignment_edit(
        by=request.user,
        assignment=assignment,
        program=data["program"],
        due_on=data["due_on"],
        reason=reason,
    )
    return _("Changed the assignment: %(program)s for %(target)s, due %(due)s.") % {
        **values,
        "program": changed.program,
        "due": changed.due_on.isoformat(),
    }
