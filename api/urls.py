"""The API, mounted by the project's urls at /api/v1/ (OpenAPI at /api/v1/openapi.json, the
interactive docs at /api/v1/docs)."""

from academy.errors import Kind, Refused
from academy.http import status_for
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer

from .auth import ApiTokenAuth
from .views import router

UNAUTHORIZED = "需要有效的 API 令牌 / A valid API token is required (Authorization: Bearer …)."
NOT_FOUND = "未找到 / Not found."


class UnicodeJSONRenderer(JSONRenderer):
    # Chinese names stay readable in the body (UTF-8), not \\u escapes.
    json_dumps_params = {"ensure_ascii": False}


api_v1 = NinjaAPI(
    title="Kefu Academy HR API",
    version="1",
    description=(
        "Read-only JSON for HR systems: staff, certificates, competency levels and the status "
        "of each person in a certification program. A token acts as one user and sees what "
        "that user may see on the supervisor's dashboard. Lists are paged (`page`, "
        "`page_size`)."
    ),
    urls_namespace="kefu_api_v1",
    auth=ApiTokenAuth(),
    renderer=UnicodeJSONRenderer(),
)
api_v1.add_router("", router)


@api_v1.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api_v1.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api_v1.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer for "does not exist" and "not yours to see", in DEBUG too.
    return api_v1.create_response(request, {"detail": NOT_FOUND}, status=404)


@api_v1.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    # A service's refusal, with the status every page answers it with; "not found" says no
    # more than the 404 above.
    detail = NOT_FOUND if exc.kind is Kind.NOT_FOUND else exc.message
    return api_v1.create_response(request, {"detail": detail}, status=status_for(exc))
