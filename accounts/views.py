"""Activation: the printable sheet (supervisors and trainers), a supervisor resetting one
person's access, and the pages a new member of staff opens from a sheet (a QR link, or the
employee number and code typed by hand). Self-service password reset: the request page at
the login, Django's e-mailed link, the reset code typed by people without e-mail. The login
page with its WeCom / DingTalk buttons."""

from academy.errors import Refused
from academy.http import render_refused, status_for
from academy.qr import qr_data_uri
from academy.rate_limit import over_limit, over_limit_for
from academy.views import StaffLoginView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import notice, reset
from .forms import ResetPasswordForm
from .platforms import Platform, in_wecom_app
from .providers.config import configured_platforms
from .providers.views import PASSWORD_LOGIN_PARAMETER
from .selectors import (
    has_accepted_notice,
    may_reset_password,
    reset_code_owner,
    staff_for_activation,
    teams_for_activation,
)
from .services import (
    activation_by_code,
    activation_by_token,
    activation_complete,
    activation_issue,
    activation_reset,
    password_reset_complete,
    reset_code_check,
)
from .tasks import reset_request_deliver

SESSION_KEY = "activation_id"
RESET_IDENTIFIER = "reset_identifier"  # what was typed on the request page, to fill in again
RESET_CODE = "reset_code_id"  # the reset code checked on the code page
# Two authentication backends are configured (Axes' and ours): login() is told which.
BACKEND = "academy.permission_cache.CachedPermissionsBackend"


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
        login(request, user, backend=BACKEND)
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
        return _render_sheet(request, issued)
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


def _render_sheet(request, issued):
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    sheet = [
        (entry, qr_data_uri(base + reverse("activate_link", args=[entry.token])))
        for entry in issued
    ]
    return render(
        request, "accounts/sheet.html", {"sheet": sheet, "activate_url": base + reverse("activate")}
    )


@login_required
@never_cache  # the printed code must not stay in the browser's cache
@require_POST
def activation_reset_view(request, staff_id: int):
    """Reset login on the person page: a new activation code for one person (voiding the
    old), shown on a one-person sheet to print. Somebody else's staff: 404."""
    try:
        issued = activation_reset(actor=request.user, staff_id=staff_id)
    except Refused as error:
        return render_refused(request, error, back_url=reverse("learner_home"))
    return _render_sheet(request, [issued])


# --- self-service password reset -----------------------------------------------------------


def _reset_limited(request, scope: str, identifier: str) -> bool:
    """Count the request per client address and minute and per account (as typed) and
    hour; both are counted whatever the other says, and whether or not the account exists."""
    config = settings.PASSWORD_RESET
    by_client = over_limit(request, scope=scope, per_minute=config["per_client_per_minute"])
    by_account = over_limit_for(
        reset.identifier_key(identifier),
        scope=scope,
        limit=config["per_account_per_hour"],
        seconds=3600,
    )
    return by_client or by_account


def _too_many_resets(request, template: str, context: dict):
    context["error"] = _("Too many reset attempts. Wait a while and try again.")
    return render(request, template, context, status=429)


def _signed_in_after_reset(request, user):
    # The password was just set by the person themself: no need to ask for it again.
    login(request, user, backend=BACKEND)
    messages.success(request, _("Your new password is set. You are logged in."))
    return redirect("learner_home")


@require_http_methods(["GET", "POST"])
def password_reset_request(request):
    """ "Forgot your password?": one field for whatever the person knows of their account.
    Every request that passes the rate limits gets the same redirect to the same page; the
    link or code is sent by a task (`reset_request_deliver`), so the answer does the same
    work, and takes the same time, whether or not an account matched."""
    context = {"identifier": request.session.get(RESET_IDENTIFIER, "")}
    if request.method == "GET":
        return render(request, "accounts/reset_request.html", context)
    identifier = reset.cleaned_identifier(request.POST.get("identifier", ""))
    context["identifier"] = identifier
    if not identifier:
        context["error"] = _(
            "Enter your employee number, username, e-mail address or mobile number."
        )
        return render(request, "accounts/reset_request.html", context, status=400)
    if _reset_limited(request, "reset", identifier):
        return _too_many_resets(request, "accounts/reset_request.html", context)
    reset_request_deliver.enqueue(identifier, translation.get_language() or "")
    request.session[RESET_IDENTIFIER] = identifier
    return redirect("password_reset_sent")


@require_GET
def password_reset_sent(request):
    """The one answer to every reset request."""
    return render(
        request,
        "accounts/reset_sent.html",
        {
            "code_minutes": settings.PASSWORD_RESET["code_minutes"],
            "link_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        },
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    """The reset code from WeCom, DingTalk or a text message, with the account it is for."""
    context = {"identifier": request.session.get(RESET_IDENTIFIER, "")}
    if request.method == "GET":
        return render(request, "accounts/reset_code.html", context)
    identifier = reset.cleaned_identifier(request.POST.get("identifier", ""))
    context["identifier"] = identifier
    if _reset_limited(request, "reset-code", identifier):
        return _too_many_resets(request, "accounts/reset_code.html", context)
    try:
        row = reset_code_check(identifier=identifier, code=request.POST.get("code", ""))
    except Refused as error:
        context["error"] = error.message
        return render(request, "accounts/reset_code.html", context, status=status_for(error))
    request.session[RESET_CODE] = row.pk
    return redirect("password_reset_code_finish")


def _reset_password_context(form) -> dict:
    return {
        "form": form,
        "validlink": True,
        "notice_title": notice.TITLE,
        "notice_paragraphs": notice.PARAGRAPHS,
    }


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_reset_code_finish(request):
    """Choose the new password after a checked reset code; then signed in, at home."""
    reset_code_id = request.session.get(RESET_CODE)
    user = reset_code_owner(reset_code_id) if reset_code_id else None
    if user is None:
        return redirect("password_reset_code")
    needs_notice = not has_accepted_notice(user)
    form = ResetPasswordForm(
        user, request.POST if request.method == "POST" else None, needs_notice=needs_notice
    )
    template = "accounts/reset_password.html"
    if request.method == "GET":
        return render(request, template, _reset_password_context(form))
    if not form.is_valid():
        return render(request, template, _reset_password_context(form), status=400)
    try:
        user = password_reset_complete(
            user=user,
            password=form.cleaned_data["new_password1"],
            password_again=form.cleaned_data["new_password2"],
            accepted_version=notice.VERSION if form.cleaned_data.get("accept_notice") else "",
            reset_code_id=reset_code_id,
        )
    except Refused as error:
        form.add_error(None, error.message)
        return render(request, template, _reset_password_context(form), status=status_for(error))
    request.session.pop(RESET_CODE, None)
    return _signed_in_after_reset(request, user)


class ResetLinkView(PasswordResetConfirmView):
    """The e-mailed link: Django's view checks the token and takes it out of the address bar
    (the session keeps it); here the person sets their password through
    `password_reset_complete` and is signed in. A link that no longer works answers 404."""

    form_class = ResetPasswordForm
    template_name = "accounts/reset_password.html"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # Staff who left, and deactivated accounts, get nowhere with an old link.
        return user if user is not None and may_reset_password(user) else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "needs_notice": not has_accepted_notice(self.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(notice_title=notice.TITLE, notice_paragraphs=notice.PARAGRAPHS)
        return context

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):
            kwargs["status"] = 404
        elif self.request.method == "POST":
            kwargs.setdefault("status", 400)  # a form shown again after a POST was refused
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form):
        try:
            user = password_reset_complete(
                user=self.user,
                password=form.cleaned_data["new_password1"],
                password_again=form.cleaned_data["new_password2"],
                accepted_version=notice.VERSION if form.cleaned_data.get("accept_notice") else "",
            )
        except Refused as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return _signed_in_after_reset(self.request, user)
