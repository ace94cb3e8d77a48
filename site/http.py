"""How a service's refusal (`academy.errors.Refused`) is answered over HTTP: the one mapping
from its kind to a status code, used by every page, the admin tools and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import Kind, Refused

STATUS_FOR_KIND: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.NOT_ALLOWED: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
}


def status_for(error: Refused) -> int:
    return STATUS_FOR_KIND[error.kind]


def render_refused(
    request: HttpRequest, error: Refused, *, back_url: str | None = None
) -> HttpResponse:
    """The refusal on a page of its own, with a way back."""
    return render(
        request,
        "refused.html",
        {"message": error.message, "back_url": back_url},
        status=status_for(error),
    )
