import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe
from wagtail import hooks
from wagtail.admin.views.account import LogoutView as WagtailLogoutView
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.documents.views.serve import serve as wagtail_document_serve

from . import web_app
from .file_responses import serve_file


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


# The pages the service worker kept for use without a signal (`courses.offline`) are the
# person's own: logging out wipes them with the rest of the site's data in this browser
# (caches, storage, the worker itself, which the next signed-in page registers again).
CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataOnLogout:
    """A logout view whose answer tells the browser to forget the site's kept pages."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class StaffLogoutView(ClearSiteDataOnLogout, LogoutView):
    pass


class AdminLogoutView(ClearSiteDataOnLogout, WagtailLogoutView):
    pass


@require_safe
def web_manifest(request):
    """/manifest.webmanifest: the site as an app on the home screen (`academy.web_app`)."""
    data = web_app.manifest(
        name=gettext("Kefu Academy"),
        short_name=gettext("Kefu Academy"),
        start_url=reverse("learner_home"),
        static_url=static,
        shortcuts=[(gettext("Emergency cards"), reverse("emergency"))],
    )
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
@login_required
def media_file(request, path: str):
    """An uploaded file (lesson image, rendition, video, document): course material for
    signed-in staff only. Used while media lives on this machine's disk; with S3-compatible
    storage the storage's own signed, expiring URLs take its place. Range requests, so that
    phones play videos (academy.file_responses)."""
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
    except SuspiciousFileOperation as error:  # a path that leads out of the media folder
        raise Http404 from error
    if not full_path.is_file():
        raise Http404
    return serve_file(request, full_path)


def document_file(request, document_id: str, document_filename: str):
    """/documents/<id>/<file name>, the address a lesson links a document or video by: on
    this machine's disk, served by academy.file_responses instead of Wagtail's own view,
    which answers a range request with the whole file — an iPhone then refuses to play a
    lesson video, and no player can seek. Videos, PDFs and pictures are shown in place,
    other files saved (academy.media_types).

    The same checks as Wagtail's view, in its order: the file name must be the document's,
    then every `before_serve_document` hook (ours: signed-in staff only; Wagtail's:
    collection privacy) may answer instead. Documents in a bucket, other methods and
    Wagtail's explicit serve methods go to Wagtail's view, which redirects to the storage's
    signed URL; the bucket answers range requests itself."""
    document = get_object_or_404(get_document_model(), id=document_id)
    try:
        local_path = Path(document.file.path)
    except NotImplementedError:
        local_path = None
    if (
        local_path is None
        or request.method not in ("GET", "HEAD")
        or getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) in ("redirect", "direct")
    ):
        return wagtail_document_serve(request, document_id, document_filename)
    if document.filename != document_filename:
        raise Http404
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    if not local_path.is_file():
        raise Http404
    document_served.send(sender=type(document), instance=document, request=request)
    etag = f'"{document.file_hash}"' if document.file_hash else None
    response = serve_file(request, local_path, filename=document.filename, etag=etag)
    if getattr(settings, "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT", True):
        # As Wagtail does: a document opened on its own runs nothing (an HTML or SVG file).
        response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for wherever a page names no icon (a JSON answer, a
    PDF, a file): the static file, under its hashed name with far-future caching in
    production. A temporary redirect, since that name changes when the icon does."""
    response = HttpResponseRedirect(static("academy/img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
