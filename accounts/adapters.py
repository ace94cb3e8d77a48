"""django-allauth's adapters: the apps come from settings, nobody signs up, and a WeCom /
DingTalk login signs in the member of staff the roster gives its user id
(`platform_login.platform_login_user`) — or shows why not. allauth stops at
`pre_social_login`: the account, e-mail and signup parts it would go on to are not used.

A login through a platform does not go through `authenticate()`, so the password lock
(django-axes) neither stops it nor counts it: the lock guards against guessed passwords, and
this login uses none — a person whose account someone else locked by guessing still gets in
with WeCom. Like every successful login it clears that account's failed passwords
(AXES_RESET_ON_SUCCESS).
"""

from __future__ import annotations

import logging

from academy.clients import client_address
from academy.http import status_for
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .platform_login import PLATFORM_NAMES, LoginRefused, platform_login_user
from .platforms import Platform
from .providers.config import social_apps
from .providers.errors import CodeRejected, PlatformUnavailable
from .providers.views import login_refused

log = logging.getLogger("academy.security")

BACKEND = "academy.permission_cache.CachedPermissionsBackend"


class NoSignupAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False  # accounts come from the roster import, never from a login


class PlatformLoginAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list:
        return [
            app
            for app in social_apps()
            if (provider is None or app.provider == provider)
            and (client_id is None or app.client_id == client_id)
        ]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        platform = Platform(sociallogin.account.provider)
        userid = sociallogin.account.extra_data.get("userid")
        try:
            user = platform_login_user(platform=platform, userid=userid)
        except LoginRefused as refusal:
            log.warning(
                "%s login refused (%s): userid %r from %s",
                platform.value,
                refusal.reason,
                userid,
                client_address(request),
            )
            raise ImmediateHttpResponse(
                login_refused(
                    request,
                    platform,
                    refusal.message,
                    status=status_for(refusal),
                    may_retry=False,
                    next_url=sociallogin.state.get("next"),
                )
            ) from refusal
        login(request, user, backend=BACKEND)
        log.info("%s login: account %r (userid %r)", platform.value, user.get_username(), userid)
        raise ImmediateHttpResponse(redirect(_next_url(request, sociallogin.state.get("next"))))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        platform = Platform(provider.id)
        names = {"platform": PLATFORM_NAMES[platform]}
        status = 400
        if isinstance(exception, PlatformUnavailable):
            reason, status = "platform failed", 502
            message = _(
                "%(platform)s could not be reached to confirm your login. Try again in a few "
                "minutes, or log in with your username and password."
            )
        elif isinstance(exception, CodeRejected):
            reason = "code rejected"
            message = _(
                "%(platform)s did not confirm this login: its code is not valid, or was used "
                "already. Go back to the login page and start again."
            )
        elif error == AuthError.CANCELLED:
            reason = "cancelled"
            message = _("The %(platform)s login was cancelled.")
        else:
            # No state in this session for the `state` the platform sent back: the login was
            # started long ago, in another browser, or not by us (a forged return).
            reason = "no such login started"
            message = _(
                "This login has expired or was started in another browser. Go back to the "
                "login page and start again."
            )
        log.warning(
            "%s login failed (%s): %s from %s",
            platform.value,
            reason,
            exception or error,
            client_address(request),
        )
        raise ImmediateHttpResponse(
            login_refused(
                request,
                platform,
                message % names,
                status=status,
                may_retry=True,
                next_url=((extra_context or {}).get("state") or {}).get("next"),
            )
        )


def _next_url(request, wanted: str | None) -> str:
    """Where the login page was asked to lead (`next`), if it is one of our own pages."""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)
