import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import LoginView
from api.urls import api_v1
from certification import views as certification_views

from .health import health
from .views import (
    AdminLogoutView,
    StaffLogoutView,
    document_file,
    favicon,
    media_file,
    web_manifest,
)

urlpatterns = [
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    # Wagtail's own logout view, whose answer also clears the pages kept offline.
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    # Lesson videos and documents: ranges and inline display (academy.views.document_file),
    # under the address and name of Wagtail's own view, which it replaces.
    re_path(r"^documents/(\d+)/(.*)$", document_file, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    # The password form with the WeCom / DingTalk buttons (accounts), and those logins.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("accounts.providers.urls")),
    path("accounts/logout/", StaffLogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", include("accounts.reset_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quizzes/", include("quizzes.urls")),
    path("roleplays/", include("roleplays.urls")),
    path("verify/", include("certification.urls")),
    # Open Badges 3.0: the issuer's keys, profile, achievements and revocation list.
    path(".well-known/jwks.json", certification_views.badge_jwks, name="badge_jwks"),
    path("badges/issuer", certification_views.badge_issuer_profile, name="badge_issuer"),
    path(
        "badges/achievements/<slug:program_code>",
        certification_views.badge_achievement_view,
        name="badge_achievement",
    ),
    path(
        "badges/status/revocation", certification_views.badge_status_list, name="badge_status_list"
    ),
    path("activate/", include("accounts.urls")),
    path("certificates/", certification_views.my_certificates, name="my_certificates"),
    path(
        "certificates/download.zip", certification_views.certificates_zip, name="certificates_zip"
    ),
    path("certificates/<int:pk>/pdf/", certification_views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/badge.jwt", certification_views.my_badge, name="my_badge"),
    path(
        "certificates/<int:pk>/revoke/",
        certification_views.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("people/<int:staff_id>/observe/", certification_views.observe, name="observe"),
    path("people/", include("records.urls")),
    path("practice/", include("practice.urls")),
    path("supervision/", include("supervision.urls")),
    path("api/v1/", api_v1.urls),
    path("", include("courses.urls")),
    # Course pages (the Wagtail tree) are served under /courses/.
    path("courses/", include(wagtail_urls)),
]

if settings.SERVE_MEDIA:
    # Lesson images and documents on this machine's disk: for signed-in staff only.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{re.escape(media_prefix)}(?P<path>.*)$", media_file))
