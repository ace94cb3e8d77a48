"""`Authorization: Bearer <token>`: the request acts as the token's user."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import ApiToken
from .services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # None (missing, unknown, revoked token; inactive user) makes django-ninja answer 401.
        return api_token_authenticate(token)
