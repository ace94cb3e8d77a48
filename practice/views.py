import json
import uuid

from academy.errors import Refused
from academy.http import render_refused, status_for
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from . import schedule
from .selectors import session_for, summary_for
from .services import review_record

# The four FSRS ratings as learners read them (忘了 / 模糊 / 记得 / 很熟 in Chinese).
RATING_LABELS = {
    schedule.AGAIN: _lazy("Forgot"),
    schedule.HARD: _lazy("Hazy"),
    schedule.GOOD: _lazy("Remembered"),
    schedule.EASY: _lazy("Knew it well"),
}


@login_required
def practice_session(request):
    """Today's cards, one at a time. Works without JavaScript (each answer is a <details>,
    each rating a form); with it, ratings are sent in the background and queued on the
    device while offline (`practice.js`)."""
    session = session_for(request.user)
    for card in session.cards:
        # Made here so that a rating sent twice (after a lost connection) is stored once.
        card.client_id = str(uuid.uuid4())
    return render(
        request,
        "practice/session.html",
        {
            "session": session,
            "summary": summary_for(request.user),
            "ratings": _rating_choices(),
        },
    )


def _rating_choices():
    return [(value, RATING_LABELS[value]) for value in schedule.RATINGS]


@require_POST
@login_required
def practice_review(request):
    """One rating: JSON `{id, card, rating, reviewed_at}` from the page's script (201, or 200
    when the same `id` had arrived before), or the form's fields (back to the session)."""
    wants_json = request.content_type == "application/json"
    try:
        data = _review_data(request, wants_json)
        rated = review_record(
            request.user,
            card_id=data.get("card"),
            rating=data.get("rating"),
            client_id=data.get("id"),
            reviewed_at=_when(data.get("reviewed_at")),
        )
    except Refused as error:
        if wants_json:
            return JsonResponse({"error": error.message}, status=status_for(error))
        return render_refused(request, error, back_url="/practice/")
    if wants_json:
        return JsonResponse(
            {"card": rated.card_id, "due": rated.due.isoformat(), "duplicate": rated.duplicate},
            status=200 if rated.duplicate else 201,
        )
    return redirect("practice_session")


def _review_data(request, wants_json: bool) -> dict:
    if not wants_json:
        return request.POST
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise Refused(_("The rating could not be read."))
    return data


def _when(value):
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
