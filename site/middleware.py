from django.shortcuts import render
from django.utils.translation import gettext as _

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

