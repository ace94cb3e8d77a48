from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.static import serve


class StaffAuthenticationForm(AuthenticationForm):
    # One message for every failure: it must not tell whether the account exists.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("Wrong username or password. Both are case-sensitive."),
    }


class StaffLoginView(LoginView):
    form_class = StaffAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 401  # bad credentials are a client error, not a 200
        return response


@login_required
def media_file(request, path: str):
    """An uploaded file (lesson image, rendition, document): course material for signed-in
    staff only. Used while media lives on this machine's disk; with S3-compatible storage
    the storage's own signed, expiring URLs take its place."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as error:  # a path that leads out of the media folder
        raise Http404 from error
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for wherever a page names no icon (a JSON answer, a
    PDF, a file): the static file, under its hashed name with far-future caching in
    production. A temporary redirect, since that name changes when the icon does."""
    response = HttpResponseRedirect(static("academy/img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
