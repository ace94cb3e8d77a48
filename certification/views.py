"""Public certificate verification: who holds it, for what, from when to when, its status.
Nothing else about the person."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .selectors import certificate_by_code, my_certification

RATE_LIMIT = 30  # look-ups per client per minute: enough for people, slow for guessing


def _rate_limited(request) -> bool:
    client = request.META.get("REMOTE_ADDR", "unknown")
    key = f"verify-rate:{client}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=70)
    return cache.incr(key) > RATE_LIMIT


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_GET
def verify_form(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("verify_certificate", code=code)
    return render(request, "certification/verify.html", {"code": ""})


@require_GET
def verify_certificate(request, code: str):
    if _rate_limited(request):
        message = _("Too many look-ups. Please wait a minute and try again.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=429)
        return render(request, "certification/verify.html",
                      {"code": code, "error": message}, status=429)
    certificate = certificate_by_code(code)
    if certificate is None:
        message = _("No certificate has this verification code. Check the code and try again.")
        if _wants_json(request):
            return JsonResponse({"error": message}, status=404)
        return render(request, "certification/verify.html",
                      {"code": code, "error": message}, status=404)
    status = certificate.status(timezone.localdate())
    if _wants_json(request):
        return JsonResponse({
            "holder": certificate.holder_name, "program": certificate.program.name,
            "serial": certificate.serial, "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
            "status": status,
        }, json_dumps_params={"ensure_ascii": False})
    return render(request, "certification/verify.html",
                  {"code": certificate.code, "certificate": certificate, "status": status})


@login_required
@require_GET
def my_certificates(request):
    """我的证书: certificates with their verification links, and what each program still needs."""
    context = my_certification(request.user, timezone.localdate())
    return render(request, "certification/my_certificates.html", context)


@login_required
def observe(request, staff_id: int):
    """A supervisor records an on-the-job observation of one of their staff."""
    from django.http import Http404

    from staff.selectors import staff_visible_to

    from . import rules
    from .services import CertificationError, observation_record

    if not request.user.has_perm("staff.view_supervised_staff"):
        raise Http404
    person = staff_visible_to(request.user).filter(pk=staff_id).first()
    if person is None or person.user_id == request.user.pk:
        raise Http404
    context = {"person": person, "checklist": rules.OBSERVATION_CHECKLIST}
    if request.method == "POST":
        results = {key: request.POST.get(key) == "on"
                   for key, _label in rules.OBSERVATION_CHECKLIST}
        try:
            observation = observation_record(observer=request.user, person=person,
                                             results=results, note=request.POST.get("note", ""))
        except CertificationError as error:
            context["error"] = error.message
            return render(request, "certification/observe.html", context, status=error.status)
        context["saved"] = observation
    return render(request, "certification/observe.html", context)
