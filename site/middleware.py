from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from workchat.login import login_page_origins

ADMIN_PREFIX = "/admin/"
OPEN_ADMIN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")


class AdminAccessMiddleware:
    """Answer a signed-in user without admin rights with 403 instead of Wagtail's login page.

    Wagtail bounces such users back to its login form, which tells a learner nothing and looks
    like their password stopped working. A plain "no access" page is clearer and is the
    least-privilege answer the design asks for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(OPEN_ADMIN_PATHS)
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            context = {"message": _("Your account has no access to the training admin.")}
            return render(request, "403.html", context, status=403)
        return self.get_response(request)


class FriendlyNotFoundMiddleware:
    """While `DEBUG` is on, answer "not found" with our own page (404.html, as production
    does) to everybody but superusers.

    With `DEBUG` Django answers an `Http404` — a learner opening /supervision/, a course
    page that is gone, a mistyped address — with its technical page (the URL patterns, the
    settings module), which tells a learner trying the demo nothing. Superusers are the
    developers: they keep it. Errors (500) keep their traceback page for everybody: that
    one is for fixing bugs, and production answers them with 500.html anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and self._friendly(request) and not _resolves(request):
            # No URL pattern matched: Django answered before any view ran.
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        """A view (ours or Wagtail's page serving) raised Http404."""
        if isinstance(exception, Http404) and self._friendly(request):
            return page_not_found(request, exception)
        return None

    @staticmethod
    def _friendly(request) -> bool:
        user = getattr(request, "user", None)
        return settings.DEBUG and not (user is not None and user.is_superuser)


def _resolves(request) -> bool:
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True


class ChosenLanguageMiddleware:
    """Chinese unless the user picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a front-desk
    phone set to English would get an English UI nobody asked for. Only an explicit choice
    (the language cookie set by /i18n/setlang/) changes the language here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), relaxed in the Wagtail admin
    only: Wagtail 8's widgets (date and snippet choosers) still start themselves with inline
    scripts and style themselves with style attributes, so the admin — used by signed-in
    trainers — also allows inline scripts and styles. Learner, supervisor and public pages
    keep the strict policy. Forms may also be sent on to the WeCom / DingTalk login pages
    once those are configured (the login page's buttons are answered by a redirect there)."""

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PREFIX) and not hasattr(response, "_csp_update"):
            response._csp_update = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}
        elif settings.DEBUG and response.status_code in (404, 500):
            # Django's technical error pages (development only) style themselves inline.
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        origins = login_page_origins()
        if origins:
            update = getattr(response, "_csp_update", None) or {}
            response._csp_update = {
                **update,
                "form-action": [*update.get("form-action", []), *origins],
            }
        return super().process_response(request, response)
