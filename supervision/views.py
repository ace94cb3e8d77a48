"""The supervisor's dashboard and its exports."""

from __future__ import annotations

from dataclasses import replace

from academy.http import status_for
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certification.models import Program
from practice.selectors import practice_by_user
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from . import channels, exports
from . import status as st
from .assignment_selectors import assignment_rows, assignments_managed_by, with_targets
from .forms import STATUS_LABELS, AssignmentForm, DashboardFilterForm, sort_headers
from .selectors import (
    apply_filters,
    competency_matrix,
    program_rows,
    sorted_rows,
    summary,
    unreachable_staff,
)
from .services import SupervisionError, assignment_create

PAGE_SIZE = 50


def _supervisor_only(request) -> None:
    if not request.user.has_perm("staff.view_supervised_staff"):
        raise Http404


def _dashboard_query(request, *, warn: bool):
    """(form, program, filters, valid values) for the request's querystring; bad filter
    values are dropped, with a message if `warn`."""
    programs = Program.objects.filter(active=True).order_by("name")
    form = DashboardFilterForm(
        request.GET,
        programs=programs,
        visible_staff=staff_visible_to(request.user).filter(active=True),
    )
    cleaned, ignored = form.cleaned_or_ignored()
    if ignored and warn:
        messages.warning(
            request, _("Ignored an invalid filter: %(names)s") % {"names": "、".join(ignored)}
        )
    program = cleaned.get("program") or programs.first()
    filters = DashboardFilterForm.as_filters(cleaned)
    return form, program, filters, cleaned


@login_required
@require_GET
def dashboard(request):
    """Who may work the front desk, who is late, and why: per program, for the supervisor's
    sites and teams."""
    _supervisor_only(request)
    today = timezone.localdate()
    form, program, filters, cleaned = _dashboard_query(request, warn=True)
    context = {
        "form": form,
        "program": program,
        "status_labels": STATUS_LABELS,
        # Each filter in use as a chip whose link drops it.
        "active_filters": [
            (chip, _querystring(request, drop=(chip.name, "page"))) for chip in form.active(cleaned)
        ],
        **_unreachable_summary(request.user),
    }
    if program is not None:
        everyone = program_rows(request.user, program, today)
        unfiltered_status = apply_filters(everyone, _without_status(filters), today)
        rows = sorted_rows(apply_filters(everyone, filters, today), filters.sort)
        counts = summary(unfiltered_status, today)
        # The rows differ from the counted ones by the status filters only: their number
        # is in the counts already (counting 50,000 people again cost a query as slow).
        total = counts.count_of(status=filters.status, overdue=filters.overdue)
        page = CountedPaginator(rows, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
        context.update(
            summary=counts,
            page=page,
            filters=filters,
            people=_with_practice(
                [
                    (person, st.due_state(status=person.status, due_on=person.due_on, today=today))
                    for person in page
                ],
                today,
            ),
            status_cards=[(key, label, counts.counts[key]) for key, label in STATUS_LABELS.items()],
            requirements_total=program.requirements.count(),
            several_programs=form.fields["program"].queryset[:2].count() > 1,
            querystring=_querystring(request, drop=("page",)),
            sort_headers=sort_headers(filters.sort),
            sort_querystring=_querystring(request, drop=("page", "sort")),
            status_querystring=_querystring(request, drop=("page", "status", "overdue")),
        )
    return render(request, "supervision/dashboard.html", context)


def _with_practice(people: list[tuple], today) -> list[tuple]:
    """Each (person, …) with their practice in the last week added: one query for the page."""
    figures = practice_by_user([row[0].user_id for row in people], today) if people else {}
    return [(*row, figures[row[0].user_id]) for row in people]


def _unreachable(user):
    reachable = channels.reachable_by_any(
        channels.carrying(channels.enabled_channels(), channels.LEARNER_REMINDER)
    )
    return unreachable_staff(user, reachable=reachable)


def _unreachable_summary(user) -> dict:
    """The dashboard's notice of the supervisor's people no reminder reaches. One query."""
    count = _unreachable(user).count()
    return {
        "unreachable_count": count,
        "unreachable_heading": channels.unreachable_text() if count else "",
    }


@login_required
@require_GET
def unreachable(request):
    """The supervisor's people (own sites and teams) whom no reminder channel reaches: they
    miss reminders and reset codes until an address or id is added to their record."""
    _supervisor_only(request)
    page = Paginator(_unreachable(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/unreachable.html",
        {"page": page, "heading": channels.unreachable_text()},
    )


class CountedPaginator(Paginator):
    """A paginator told how many rows there are."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _without_status(filters):

    return replace(filters, status="", overdue=False)


def _querystring(request, *, drop: tuple[str, ...]) -> str:
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


ALL_PROGRAMS = "all"  # ?programs=all: the XLSX export has a sheet per active program


@login_required
@require_GET
def export(request, kind: str):
    """Exactly the rows the dashboard shows under the same filters, every page of them; in
    XLSX with `?programs=all`, the same filters over every active program, a sheet each."""
    _supervisor_only(request)
    today = timezone.localdate()
    _form, program, filters, _cleaned = _dashboard_query(request, warn=False)
    if program is None:
        raise Http404

    def rows_of(program):
        return sorted_rows(
            apply_filters(program_rows(request.user, program, today), filters, today),
            filters.sort,
        )

    if kind == "csv":
        return exports.csv_response(rows_of(program), program, today)
    programs = [program]
    if request.GET.get("programs") == ALL_PROGRAMS:
        programs = list(Program.objects.filter(active=True).order_by("name"))
    return exports.xlsx_response([(p, rows_of(p)) for p in programs], today)


@login_required
@require_GET
def matrix(request):
    """Staff × competency levels for the supervisor's people (a site or team at a time), with
    the team's weakest competencies first."""
    _supervisor_only(request)
    today = timezone.localdate()
    form, _program, filters, _cleaned = _dashboard_query(request, warn=True)
    staff = apply_filters(
        staff_visible_to(request.user).filter(active=True), _without_status(filters), today
    ).order_by("site__code", "team__name", "employee_number")
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/matrix.html",
        {
            "form": form,
            "page": page,
            "matrix": competency_matrix(
                staff, list(page), people=page.paginator.count, today=today
            ),
            "querystring": _querystring(request, drop=("page",)),
        },
    )


@login_required
def assign(request):
    """A supervisor assigns a program with a due date to a team, a position at a site, or a
    person, within their own sites and teams."""
    _supervisor_only(request)
    visible = staff_visible_to(request.user).filter(active=True)
    programs = Program.objects.filter(active=True).order_by("name")
    initial = {}
    person_id = request.GET.get("person", "")
    if person_id.isascii() and person_id.isdigit() and len(person_id) <= 12:
        initial = {"target": "person", "person": visible.filter(pk=int(person_id)).first()}
    supervised = supervised_sites_and_teams(request.user)
    form = AssignmentForm(
        request.POST or None,
        visible_staff=visible,
        supervised=supervised,
        programs=programs,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            target = data["target"]
            try:
                assignment = assignment_create(
                    by=request.user,
                    program=data["program"],
                    due_on=data["due_on"],
                    person=data["person"] if target == "person" else None,
                    team=data["team"] if target == "team" else None,
                    site=data["site"] if target == "position" else None,
                    position=data["position"] if target == "position" else "",
                )
            except SupervisionError as error:
                form.add_error(None, error.message)
                status = status_for(error)
            else:
                messages.success(
                    request,
                    _("Assigned %(program)s to %(target)s, due %(due)s.")
                    % {
                        "program": assignment.program,
                        "due": assignment.due_on,
                        "target": assignment.target_label(),
                    },
                )
                return redirect("assign_program")
        else:
            status = 400
    recent = with_targets(assignments_managed_by(request.user)).order_by("-created_at", "-pk")
    return render(
        request,
        "supervision/assign.html",
        {"form": form, "rows": assignment_rows(request.user, recent[:30], timezone.localdate())},
        status=status,
    )
