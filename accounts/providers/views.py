"""What both platforms' login pages share: off (404) while the platform is not configured; a
login starts only from the login page's button (a POST with its CSRF token, as allauth
advises) — a GET, from a bookmark or the back button, goes to the login page instead; the
returns are rate-limited per client (each costs a call to the platform); and the page that
says why a login was refused."""

from __future__ import annotations

from functools import wraps

from academy.rate_limit import over_limit
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..platform_login import PLATFORM_NAMES
from ..platforms import Platform
from .config import configured_platforms

# /accounts/login/?password=1: the password form, with no automatic WeCom login.
PASSWORD_LOGIN_PARAMETER = "password"  # noqa: S105 (a parameter name, not a password)


def login_refused(
    request,
    platform: Platform,
    message: str,
    *,
    status: int,
    may_retry: bool,
    next_url: str | None = None,
):
    """Why the login did not happen; the way back to the login page when starting again can
    help, and always the way to the password form (which, inside the WeCom app, would
    otherwise start the WeCom login again at once). Both keep where the person was going
    (the login page checks `next` itself)."""
    going = {"next": next_url} if next_url else {}
    login_url = reverse("login")
    return render(
        request,
        "accounts/platform_login_refused.html",
        {
            "platform_name": PLATFORM_NAMES[platform],
            "message": message,
            "retry_url": f"{login_url}?{urlencode(going)}".rstrip("?") if may_retry else "",
            "password_login_url": f"{login_url}?"
            + urlencode({PASSWORD_LOGIN_PARAMETER: 1, **going}),
        },
        status=status,
    )


def _configured_only(view, platform: Platform):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if platform not in configured_platforms():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class PlatformLoginView(OAuth2LoginView):
    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            url = reverse("login")
            if request.GET.get("next"):
                url += "?" + urlencode({"next": request.GET["next"]})
            return redirect(url)
        return super().dispatch(request, *args, **kwargs)


def login_view(adapter_class):
    return _configured_only(
        PlatformLoginView.adapter_view(adapter_class), Platform(adapter_class.provider_id)
    )


def callback_view(adapter_class):
    platform = Platform(adapter_class.provider_id)
    callback = OAuth2CallbackView.adapter_view(adapter_class)

    @wraps(callback)
    def limited(request, *args, **kwargs):
        if over_limit(
            request,
            scope="platform-login",
            per_minute=settings.PLATFORM_LOGIN["per_client_per_minute"],
        ):
            message = _("Too many attempts from this network. Wait a minute and try again.")
            return login_refused(request, platform, message, status=429, may_retry=True)
        return callback(request, *args, **kwargs)

    return _configured_only(limited, platform)
