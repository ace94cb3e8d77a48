"""Learner-facing quiz pages. Views read the request, call a service or selector, render."""

from __future__ import annotations

import json

from academy.errors import Kind
from academy.http import render_refused, status_for
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import rules, selectors, services
from . import spec as kinds
from .models import AttemptState, Quiz

MAX_AUTOSAVE_BYTES = 64 * 1024


def responses_from_fields(questions, fields) -> dict[int, object]:
    """Posted form fields (`q3`, `q3-<prompt id>`) → {position: raw response}.

    `fields` maps a name to a list of values (a QueryDict or the autosave JSON). Only the
    questions whose fields were sent are returned; a multiple-choice question sends an
    empty marker field so that unticking every box is still an answer.
    """
    responses: dict[int, object] = {}
    for question in questions:
        spec = question.version.spec
        name = f"q{question.position}"
        kind = spec["kind"]
        if kind == kinds.MATCHING:
            prefix = name + "-"
            chosen = {
                key[len(prefix) :]: (values[-1] if values else "")
                for key, values in fields.items()
                if key.startswith(prefix)
            }
            if chosen:
                responses[question.position] = chosen
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


@login_required
@require_GET
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt_or_404(request, attempt_id)
    services.attempt_close_if_overdue(attempt)
    if not attempt.is_open:
        return redirect("quiz_review", attempt_id=attempt.pk)
    questions = [selectors.presented_question(q) for q in attempt.questions.all()]
    remaining = None
    deadline = attempt.ends_at
    if deadline:
        remaining = max(0, int((deadline - timezone.now()).total_seconds()))
    response = render(
        request,
        "quizzes/attempt_take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "seconds_remaining": remaining,
        },
    )
    # The page holds the learner's answers; a shared computer's back button must not show it.
    response["Cache-Control"] = "no-store"
    return response


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
    level = selectors.review_level(attempt)
    status = selectors.quiz_status_for(request.user, attempt.quiz)
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
        },
    )
