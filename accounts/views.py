"""Activation: the printable sheet (supervisors and trainers), and the pages a new member of
staff opens from it (a QR link, or the employee number and code typed by hand). The login
page with its WeCom / DingTalk buttons."""

from academy.errors import Refused
from academy.http import render_refused, status_for
from academy.qr import qr_data_uri
from academy.rate_limit import over_limit
from academy.views import StaffLoginView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import notice
from .platforms import Platform, in_wecom_app
from .providers.config import configured_platforms
from .providers.views import PASSWORD_LOGIN_PARAMETER
from .selectors import staff_for_activation, teams_for_activation
from .services import (
    activation_by_code,
    activation_by_token,
    activation_complete,
    activation_issue,
)

SESSION_KEY = "activation_id"


class LoginView(StaffLoginView):
    """The password form, with a button per configured platform (the template tag
    `platform_login_buttons`). Opened inside the WeCom app, the page signs the person in
    through WeCom at once — WeCom asks nothing there — unless they asked for the password
    form (`?password=1`, where a refused WeCom login leads)."""

    def get(self, request, *args, **kwargs):
        if (
            not request.GET.get(PASSWORD_LOGIN_PARAMETER)
            and in_wecom_app(request.headers.get("User-Agent", ""))
            and Platform.WECOM in configured_platforms()
        ):
            provider = get_social_adapter(request).get_provider(request, Platform.WECOM.value)
            return provider.redirect(
                request, process=AuthProcess.LOGIN, next_url=self.get_redirect_url() or None
            )
        return super().get(request, *args, **kwargs)


def _rate_limited(request) -> bool:
    return over_limit(
        request, scope="activate", per_minute=settings.ACTIVATION["per_client_per_minute"]
    )


def _too_many(request, template: str, context: dict):
    context["error"] = _("Too many attempts from this network. Wait a minute and try again.")
    return render(request, template, context, status=429)


@require_http_methods(["GET", "POST"])
def activate_form(request):
    """Employee number and the code from the sheet, typed by hand."""
    context = {"employee_number": ""}
    if request.method == "GET":
        return render(request, "accounts/activate.html", context)
    context["employee_number"] = request.POST.get("employee_number", "").strip()[:32]
    if _rate_limited(request):
        return _too_many(request, "accounts/activate.html", context)
    try:
        row = activation_by_code(
            employee_number=context["employee_number"], code=request.POST.get("code", "")
        )
    except Refused as error:
        context["error"] = error.message
        return render(request, "accounts/activate.html", context, status=status_for(error))
    request.session[SESSION_KEY] = row.pk
    return redirect("activate_finish")


@require_GET
def activate_link(request, token: str):
    """The QR code's link: checked, then forgotten from the address bar (the next page is
    reached by a redirect, so the token is not left in the history or a Referer)."""
    if _rate_limited(request):
        return _too_many(request, "accounts/activate.html", {"employee_number": ""})
    try:
        row = activation_by_token(token)
    except Refused as error:
        return render_refused(request, error, back_url=reverse("activate"))
    request.session[SESSION_KEY] = row.pk
    return redirect("activate_finish")


@require_http_methods(["GET", "POST"])
def activate_finish(request):
    """Choose a password and accept the notice; then signed in, on the home page."""
    activation_id = request.session.get(SESSION_KEY)
    if activation_id is None:
        return redirect("activate")
    context = {
        "notice_title": notice.TITLE,
        "notice_paragraphs": notice.PARAGRAPHS,
        "notice_version": notice.VERSION,
    }
    if request.method == "POST":
        if _rate_limited(request):
            return _too_many(request, "accounts/finish.html", context)
        accepted = notice.VERSION if request.POST.get("accept_notice") else ""
        try:
            user = activation_complete(
                activation_id=activation_id,
                password=request.POST.get("password", ""),
                password_again=request.POST.get("password_again", ""),
                accepted_version=accepted,
            )
        except Refused as error:
            context["error"] = error.message
            return render(request, "accounts/finish.html", context, status=status_for(error))
        request.session.pop(SESSION_KEY, None)
        # The password was just set by the person themself: no need to ask for it again.
        login(request, user, backend="academy.permission_cache.CachedPermissionsBackend")
        return redirect("/")
    return render(request, "accounts/finish.html", context)


@login_required
@never_cache  # the printed codes must not stay in the browser's cache
@require_http_methods(["GET", "POST"])
def activation_sheet(request):
    """GET: choose a team, then the people (those not yet activated are ticked). POST: issue
    their codes and show the sheet to print; the codes are on this page only."""
    teams = teams_for_activation(request.user)
    if not teams.exists():
        raise Http404
    if request.method == "POST":
        try:
            staff_ids = [int(pk) for pk in request.POST.getlist("staff")]
        except ValueError as error:
            raise Http404 from error
        try:
            issued = activation_issue(actor=request.user, staff_ids=staff_ids)
        except Refused as error:
            return render_refused(request, error, back_url=reverse("activation_sheet"))
        base = settings.PUBLIC_BASE_URL.rstrip("/")
        sheet = [
            (entry, qr_data_uri(base + reverse("activate_link", args=[entry.token])))
            for entry in issued
        ]
        return render(
            request,
            "accounts/sheet.html",
            {"sheet": sheet, "activate_url": base + reverse("activate")},
        )
    context = {"teams": teams, "team": None}
    team_id = request.GET.get("team", "")
    if team_id:
        team = teams.filter(pk=team_id).first() if team_id.isdigit() else None
        if team is None:
            raise Http404  # not a team, or one of somebody else's
        people = staff_for_activation(request.user).filter(team=team).order_by("employee_number")
        context.update(
            team=team,
            people=[(person, not person.user.has_usable_password()) for person in people],
        )
    return render(request, "accounts/choose.html", context)
