"""A person's competency record with its history, and supervisors adjusting levels."""

from academy import login_throttle
from academy.errors import Kind
from academy.http import status_for
from academy.models import Competency
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.platforms import in_chat_app
from accounts.selectors import may_reset_access
from certification.selectors import certificate_cards
from staff.selectors import may_act_on, may_unlock_login, staff_visible_to
from staff.services import StaffError, staff_login_unlock

from .models import Level
from .selectors import person_record, practice_record
from .services import RecordsError, record_adjust


def _visible_person(user, staff_id: int):
    person = staff_visible_to(user).filter(pk=staff_id).first()
    if person is None:
        raise Http404
    return person


def _render_person(request, person, *, error=None, error_slug="", status=200):
    login_locked_until = None
    if may_unlock_login(request.user, person):
        login_locked_until = login_throttle.account_locked_until(person.user.get_username())
    rows = person_record(person)
    return render(
        request,
        "records/person_record.html",
        {
            "login_locked_until": login_locked_until,
            "person": person,
            "rows": rows,
            "practice": practice_record(person.user, rows),
            "certificates": certificate_cards(request.user, person.user_id, timezone.localdate()),
            "in_chat_app": in_chat_app(request.headers.get("User-Agent", "")),
            # Observing, changing levels, assigning: what a supervisor does for their staff.
            "may_supervise": may_act_on(request.user, person.user_id),
            "may_reset_access": may_reset_access(request.user, person),
            "level_choices": Level.choices,
            "error": error,
            "error_slug": error_slug,
            "posted": request.POST if error else {},
        },
        status=status,
    )


@login_required
@require_GET
def person_detail(request, staff_id: int):
    """A person's competency record. Supervisors see their staff; anyone sees their own."""
    # Reading only: new evidence updates records as it arrives, and the daily
    # `recompute_records` follows what time alone changes (a certificate expiring).
    return _render_person(request, _visible_person(request.user, staff_id))


@login_required
@require_POST
def adjust_level(request, staff_id: int, competency_slug: str):
    """A supervisor changes a level; `record_adjust` refuses anybody else (404)."""
    person = _visible_person(request.user, staff_id)
    competency = Competency.objects.filter(slug=competency_slug).first()
    if competency is None:
        raise Http404
    try:
        record_adjust(
            by=request.user,
            person=person,
            competency=competency,
            level=request.POST.get("level", ""),
            reason=request.POST.get("reason", ""),
        )
    except RecordsError as error:
        if error.kind is Kind.NOT_FOUND:
            raise Http404 from error
        return _render_person(
            request,
            person,
            error=error.message,
            error_slug=competency.slug,
            status=status_for(error),
        )
    messages.success(request, _("Level changed: %(competency)s.") % {"competency": competency})
    return redirect(reverse("person_record", args=[person.pk]) + f"#competency-{competency.slug}")


@login_required
@require_POST
def unlock_login(request, staff_id: int):
    """A supervisor (own staff) or trainer lets someone locked out by wrong passwords in."""
    person = _visible_person(request.user, staff_id)
    try:
        staff_login_unlock(by=request.user, person=person)
    except StaffError as error:
        raise Http404 from error
    messages.success(request, _("%(name)s can sign in again.") % {"name": person.name})
    return redirect("person_record", staff_id=person.pk)
