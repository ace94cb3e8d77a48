"""Learner-facing quiz pages. Views read the request, call a service or selector, render."""

from __future__ import annotations

import json
import math

from academy.errors import Kind
from academy.http import render_refused, status_for
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import grading, rules, selectors, services
from . import spec as kinds
from .models import AttemptState, Quiz

MAX_AUTOSAVE_BYTES = 64 * 1024


def responses_from_fields(questions, fields) -> dict[int, object]:
    """Posted form fields (`q3`, `q3-<prompt or step id>`) → {position: raw response}.

    `fields` maps a name to a list of values (a QueryDict or the autosave JSON). Only the
    questions whose fields were sent are returned; a multiple-choice question sends an
    empty marker field so that unticking every box is still an answer. An ordering question
    sends a place per step (`grading.order_from_ranks`, in the order the learner was
    shown), or its order as one comma-separated field.
    """
    responses: dict[int, object] = {}
    for question in questions:
        spec = question.version.spec
        name = f"q{question.position}"
        kind = spec["kind"]
        if kind in (kinds.MATCHING, kinds.ORDERING):
            prefix = name + "-"
            chosen = {
                key[len(prefix) :]: (values[-1] if values else "")
                for key, values in fields.items()
                if key.startswith(prefix)
            }
            if chosen and kind == kinds.MATCHING:
                responses[question.position] = chosen
                continue
            if chosen:
                shown = question.response or question.option_order
                responses[question.position] = grading.order_from_ranks(shown, chosen)
                continue
        if name not in fields:
            continue
        values = [v for v in fields[name] if v != ""]
        if kind == kinds.MULTIPLE:
            responses[question.position] = values
        elif kind == kinds.ORDERING:
            responses[question.position] = values[-1].split(",") if values else None
        elif kind in (kinds.SHORT_ANSWER, kinds.NUMERIC, kinds.ESSAY):
            responses[question.position] = fields[name][-1] if fields[name] else ""
        elif kind == kinds.DESCRIPTION:
            continue
        else:
            responses[question.position] = values[-1] if values else None
    return responses


def _querydict_fields(post) -> dict[str, list[str]]:
    return {key: post.getlist(key) for key in post}


@login_required
@require_GET
def quiz_detail(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    status = selectors.quiz_status_for(request.user, quiz)
    if status.open_attempt:
        services.attempt_close_if_overdue(status.open_attempt)
        status = selectors.quiz_status_for(request.user, quiz)
    return render(request, "quizzes/quiz_detail.html", {"quiz": quiz, "status": status})


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    try:
        attempt = services.attempt_start_or_existing(user=request.user, quiz=quiz)
    except services.QuizError as error:
        return render_refused(request, error, back_url=f"/quizzes/{quiz.pk}/")
    return redirect("quiz_attempt", attempt_id=attempt.pk)


def _own_attempt_or_404(request, attempt_id: int):
    attempt = selectors.own_attempt(request.user, attempt_id)
    if attempt is None:
        raise Http404(_("No such attempt."))
    return attempt


def _seconds_remaining(attempt) -> int | None:
    # Rounded up: the page's countdown must not reach 0 before the server's clock does.
    deadline = attempt.ends_at
    if deadline is None:
        return None
    return max(0, math.ceil((deadline - timezone.now()).total_seconds()))


def _clock(attempt) -> dict:
    """The countdown's start, also shown as it is on a page without JavaScript."""
    seconds = _seconds_remaining(attempt)
    return {
        "seconds_remaining": seconds,
        "time_left": None if seconds is None else f"{seconds // 60}:{seconds % 60:02d}",
        "ends_at": attempt.ends_at,
    }


def _no_store(response):
    # The page holds the learner's answers; a shared computer's back button must not show it.
    response["Cache-Control"] = "no-store"
    return response


def _page_number(value) -> int:
    return int(value) if isinstance(value, str) and _is_small_number(value) else 1


@login_required
@require_GET
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt_or_404(request, attempt_id)
    services.attempt_close_if_overdue(attempt)
    if not attempt.is_open:
        return redirect("quiz_review", attempt_id=attempt.pk)
    page = selectors.attempt_page(attempt, _page_number(request.GET.get("page")))
    return _no_store(
        render(
            request,
            "quizzes/attempt_take.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "page": page,
                "questions": page.questions,
                **_clock(attempt),
            },
        )
    )


def _destination(attempt, go: str, current_page: int) -> str:
    """Where a page's button leads: `finish` (the submit confirmation), `page-<n>`, `q-<n>`
    (the page of question n, scrolled to it); anything else stays on the current page."""
    take = reverse("quiz_attempt", args=[attempt.pk])
    if go == "finish":
        return reverse("quiz_finish", args=[attempt.pk])
    kind, _sep, number = go.partition("-")
    if not _is_small_number(number):
        return f"{take}?page={current_page}"
    if kind == "q":
        position = int(number)
        return f"{take}?page={selectors.page_of_position(attempt, position)}#q{position}"
    if kind == "page":
        return f"{take}?page={int(number)}"
    return f"{take}?page={current_page}"


def _is_small_number(text: str) -> bool:
    # Plain ASCII digits ("²" is a digit to str.isdigit, and no int), and few of them.
    return text.isascii() and text.isdecimal() and len(text) < 6


@login_required
@require_POST
def attempt_save_page(request, attempt_id: int):
    """The answers and flags of one page, sent by moving to another page or on to submit:
    saved on the attempt, then the page asked for (works without JavaScript)."""
    attempt = _own_attempt_or_404(request, attempt_id)
    questions = list(attempt.questions.all())
    positions = {q.position for q in questions}
    on_page = {int(p) for p in request.POST.getlist("on_page") if _is_small_number(p)} & positions
    flagged = set(request.POST.getlist("flag"))
    answers = responses_from_fields(
        [q for q in questions if q.position in on_page], _querydict_fields(request.POST)
    )
    try:
        attempt = services.attempt_save_page(
            user=request.user,
            attempt_id=attempt.pk,
            answers=answers,
            flags={p: str(p) in flagged for p in on_page},
        )
    except services.TimeUp as error:
        messages.warning(request, error.message)
        return redirect("quiz_review", attempt_id=attempt.pk)
    except services.QuizError as error:
        back = reverse(
            "quiz_review" if error.kind is Kind.CONFLICT else "quiz_attempt", args=[attempt.pk]
        )
        return render_refused(request, error, back_url=back)
    if not attempt.is_open:  # the time ran out: submitted with this page's answers
        return redirect("quiz_review", attempt_id=attempt.pk)
    current = _page_number(request.POST.get("page"))
    return redirect(_destination(attempt, request.POST.get("go", ""), current))


@login_required
@require_GET
def attempt_finish(request, attempt_id: int):
    """Before the attempt is final: which questions are unanswered or flagged, with a way
    back to each, and the button that submits."""
    attempt = _own_attempt_or_404(request, attempt_id)
    services.attempt_close_if_overdue(attempt)
    if not attempt.is_open:
        return redirect("quiz_review", attempt_id=attempt.pk)
    return _no_store(
        render(
            request,
            "quizzes/attempt_finish.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "check": selectors.submit_check(attempt),
                **_clock(attempt),
            },
        )
    )


@require_POST
def attempt_autosave(request, attempt_id: int):
    # JSON, never a redirect to the login page: the page's script must know the answer
    # was not saved (and keep it on the device) when the session has ended.
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": _("Your session has ended. Please log in again.")}, status=401
        )
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return JsonResponse({"error": _("The answer is too long.")}, status=413)
    try:
        payload = json.loads(request.body or b"{}")
        position = payload["position"]
        raw_fields = payload.get("fields", {})
        if not isinstance(position, int) or not isinstance(raw_fields, dict):
            raise TypeError
        fields = {
            str(name): [
                str(v)
                for v in (values if isinstance(values, list) else [values])
                if isinstance(v, str | int | float)
            ]
            for name, values in raw_fields.items()
        }
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": _("The answer could not be read.")}, status=400)
    attempt = selectors.own_attempt(request.user, attempt_id)
    if attempt is None:
        return JsonResponse({"error": _("No such attempt.")}, status=404)
    question = next((q for q in attempt.questions.all() if q.position == position), None)
    if question is None:
        return JsonResponse({"error": _("This attempt has no such question.")}, status=400)
    raw = responses_from_fields([question], fields).get(position)
    try:
        saved = services.attempt_save_answer(
            user=request.user, attempt_id=attempt.pk, position=position, raw=raw
        )
    except services.QuizError as error:
        return JsonResponse({"error": error.message}, status=status_for(error))
    return JsonResponse({"saved": True, "saved_at": saved.answered_at.isoformat()})


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt_or_404(request, attempt_id)
    answers = responses_from_fields(attempt.questions.all(), _querydict_fields(request.POST))
    try:
        services.attempt_submit(user=request.user, attempt_id=attempt.pk, answers=answers)
    except services.TimeUp as error:
        # Submitted by the clock: the result page says so.
        messages.warning(request, error.message)
        return redirect("quiz_review", attempt_id=attempt.pk)
    except services.QuizError as error:
        if error.kind is Kind.CONFLICT:
            # Already submitted or out of time: the result exists, show it with the reason.
            return render_refused(
                request, error, back_url=f"/quizzes/attempts/{attempt.pk}/review/"
            )
        return render_refused(request, error, back_url=f"/quizzes/attempts/{attempt.pk}/")
    return redirect("quiz_review", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_review(request, attempt_id: int):
    attempt = _own_attempt_or_404(request, attempt_id)
    services.attempt_close_if_overdue(attempt)
    if attempt.is_open:
        return redirect("quiz_attempt", attempt_id=attempt.pk)
    status = selectors.quiz_status_for(request.user, attempt.quiz)
    level = selectors.review_level(attempt, awaiting_grading=status.awaiting_grading)
    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "level": level,
            "questions": selectors.reviewed_questions(attempt, level),
            "wrong_positions": selectors.wrong_positions(attempt) if level != rules.SCORE else [],
            "status": status,
            "awaiting": attempt.state == AttemptState.AWAITING_GRADING,
            "full_review_held": rules.full_review_held(
                attempt.quiz.review_detail, awaiting_grading=status.awaiting_grading
            ),
        },
    )
