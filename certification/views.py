"""Public certificate verification: who holds it, for what, from when to when, its status.
Nothing else about the person."""

import hashlib
import logging
import re
import tempfile
import zipfile

from academy.clients import client_address
from academy.http import status_for
from academy.rate_limit import over_limit, over_limit_for
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.platforms import in_chat_app
from staff.selectors import may_act_on, staff_visible_to

from . import badges, rules
from .models import Certificate
from .selectors import (
    VerifiedVersion,
    badge_achievement,
    badge_issuer,
    badge_public_keys,
    certificate_by_code,
    certificates_visible_to,
    may_download_badge,
    may_download_pdf,
    my_certification,
    signed_badge,
    signed_status_list,
    verified_versions,
)
from .services import CertificationError, certificate_revoke, observation_record
from .tasks import render_certificate_pdf

RATE_LIMIT = 30  # look-ups per client per minute: enough for people, slow for guessing
# Look-ups by serial number per client per hour, on top of the limit above. A code is 128
# random bits, so its limit only keeps the load down; serials are counted up one by one, so
# at the per-minute limit alone one address could read the holders of the whole register
# (43,200 a day). Somebody checking the certificates in front of them needs a handful; the
# code and QR code printed beside the serial stay limited by the minute only.
SERIAL_RATE_LIMIT_PER_HOUR = 20
MAX_CODE_INPUT = 64  # as much of a typed code as is echoed back into the form


def _refusal(request, typed: str, message: str, status: int):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(
        request, "certification/verify.html", {"code": typed, "error": message}, status=status
    )


def _rate_limited(request) -> bool:
    return over_limit(request, scope="verify", per_minute=RATE_LIMIT)


def _serial_rate_limited(request) -> bool:
    return over_limit_for(
        client_address(request),
        scope="verify-serial",
        limit=SERIAL_RATE_LIMIT_PER_HOUR,
        seconds=3600,
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_GET
def verify_form(request):
    """The look-up form; a typed or scanned code or serial number is answered here, counted
    like a link."""
    code = request.GET.get("code", "").strip()
    if not code:
        return render(request, "certification/verify.html", {"code": ""})
    return _verification(request, code)


@require_GET
def verify_certificate(request, code: str):
    return _verification(request, code)


def _verification(request, code: str):
    """Holder, program, serial, dates and status of the certificate with `code`, or of
    every version of the certificate with that serial number. Anything that is neither gets
    the same "no such certificate" answer as a wrong code."""
    code = code[:MAX_CODE_INPUT]
    if _rate_limited(request):
        message = _("Too many look-ups. Please wait a minute and try again.")
        return _refusal(request, code, message, 429)
    serial = rules.normalise_serial(code)
    if serial is not None:
        return _serial_verification(request, serial)
    certificate = certificate_by_code(code)
    if certificate is None:
        message = _("No certificate has this verification code. Check the code and try again.")
        return _refusal(request, code, message, 404)
    verified = VerifiedVersion.of(certificate, timezone.localdate())
    if _wants_json(request):
        return JsonResponse(verified.as_json(), json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "certification/verify.html",
        {"code": certificate.code, "certificate": verified},
    )


def _serial_verification(request, serial: str):
    """Every version of the certificate with this serial number, newest first, the current
    one marked: each with what its code page shows, and no more."""
    if _serial_rate_limited(request):
        message = _(
            "Too many look-ups by serial number. Please try again within the hour, or use "
            "the verification code or QR code printed on the certificate."
        )
        return _refusal(request, serial, message, 429)
    versions = verified_versions(serial, timezone.localdate())
    if not versions:
        message = _("No certificate has this serial number. Check the number and try again.")
        return _refusal(request, serial, message, 404)
    if _wants_json(request):
        return JsonResponse(
            {
                "serial": serial,
                "status": versions[0].status,
                "versions": [
                    {"version": v.version, "current": v.is_current, **v.as_json()} for v in versions
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "certification/verify.html",
        {"code": serial, "serial": serial, "versions": versions, "status": versions[0].status},
    )


@login_required
@require_GET
def my_certificates(request):
    """我的证书: certificates with their verification links, and what each program still needs."""
    context = my_certification(request.user, timezone.localdate())
    context["in_chat_app"] = in_chat_app(request.headers.get("User-Agent", ""))
    return render(request, "certification/my_certificates.html", context)


@login_required
def observe(request, staff_id: int):
    """A supervisor records an on-the-job observation of one of their staff."""
    person = staff_visible_to(request.user).filter(pk=staff_id).first()
    if person is None or not may_act_on(request.user, person.user_id):
        raise Http404
    context = {
        "person": person,
        "checklist": [(key, _(label)) for key, label in rules.OBSERVATION_CHECKLIST],
    }
    if request.method == "POST":
        results = {
            key: request.POST.get(key) == "on" for key, _label in rules.OBSERVATION_CHECKLIST
        }
        try:
            observation = observation_record(
                observer=request.user,
                person=person,
                results=results,
                note=request.POST.get("note", ""),
            )
        except CertificationError as error:
            # Keep what the supervisor entered, so a refusal loses nothing.
            context.update(
                error=error.message,
                note=request.POST.get("note", ""),
                ticked={key for key, met in results.items() if met},
            )
            return render(request, "certification/observe.html", context, status=status_for(error))
        messages.success(request, _observation_saved_message(person, observation))
        return redirect("person_record", staff_id=person.pk)
    return render(request, "certification/observe.html", context)


def _observation_saved_message(person, observation) -> str:
    """ "Observation of X recorded: passed", or not passed with how many items were unmet,
    and a link down to the record's observation history, which lists them."""
    if observation.passed:
        text = _("Observation of %(name)s recorded: passed.") % {"name": person.name}
    else:
        text = _("Observation of %(name)s recorded: not passed (items not met: %(count)d).") % {
            "name": person.name,
            "count": len(rules.observation_unmet(observation.results)),
        }
    return format_html('{} <a href="#observations">{}</a>', text, _("See the observations"))


def _pdf_filename(certificate) -> str:
    """ "<holder>_<serial>.pdf", safe as a file name on any system and inside a ZIP."""
    holder = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", certificate.holder_name).lstrip(". ")
    version = f"-v{certificate.version}" if certificate.version > 1 else ""
    return f"{holder or '_'}_{certificate.serial}{version}.pdf"


def _stored_pdf_bytes(certificate) -> bytes | None:
    """The stored PDF as issued, checked against its checksum; None while it is being
    rendered. A current certificate whose PDF is missing (its task failed or has not run)
    is queued again."""
    if not certificate.pdf:
        if not certificate.is_current:
            return None  # drawn today, an old version would not be what was issued
        render_certificate_pdf.enqueue(certificate.pk)  # inline backend: done on return
        certificate.refresh_from_db(fields=["pdf", "pdf_sha256"])
        if not certificate.pdf:
            return None
    with certificate.pdf.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        logging.getLogger(__name__).error("Stored PDF of %s fails its checksum", certificate)
        return None
    return data


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    """The stored PDF of a certificate, to whom `rules.pdf_downloadable` allows it; never
    re-rendered. A download, except in WeChat's and WeCom's browsers, which cannot save one:
    there it is shown in place (the pages linking it say how to open it in the system
    browser to save or print it)."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None or not may_download_pdf(request.user, certificate):
        raise Http404
    data = _stored_pdf_bytes(certificate)
    if data is None:
        return render(
            request,
            "refused.html",
            {"message": _("The certificate is being prepared. Please try again in a minute.")},
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not in_chat_app(request.headers.get("User-Agent", "")),
        filename=_pdf_filename(certificate),
    )
    response["Vary"] = "User-Agent"
    return response


@login_required
def certificate_revoke_view(request, pk: int):
    """A supervisor revokes a certificate of one of their staff, giving a reason."""
    certificate = Certificate.objects.select_related("program").filter(pk=pk).first()
    if certificate is None or not may_act_on(request.user, certificate.user_id):
        raise Http404
    context = {"certificate": certificate, "status": certificate.status(timezone.localdate())}
    if request.method == "POST":
        try:
            certificate = certificate_revoke(
                certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
            )
        except CertificationError as error:
            context.update(error=error.message, reason=request.POST.get("reason", ""))
            return render(request, "certification/revoke.html", context, status=status_for(error))
        context.update(
            certificate=certificate, status=certificate.status(timezone.localdate()), done=True
        )
    return render(request, "certification/revoke.html", context)


@login_required
@require_GET
def certificates_zip(request):
    """Many certificates in one ZIP (file names: holder + serial): the current certificates
    the user may see, optionally of one program."""
    certificates = certificates_visible_to(request.user).current().order_by("serial")
    program = request.GET.get("program", "").strip()
    if program:
        if not (program.isascii() and program.isdigit()):
            return render(request, "refused.html", {"message": _("Unknown program.")}, status=400)
        certificates = certificates.filter(program_id=int(program))
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    not_ready = []
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:  # PDFs are compressed
        for certificate in certificates.iterator(chunk_size=200):
            data = _stored_pdf_bytes(certificate)
            if data is None:
                not_ready.append(f"{certificate.serial} {certificate.holder_name}")
            else:
                bundle.writestr(_pdf_filename(certificate), data)
        if not_ready:
            bundle.writestr(
                "未生成-not-ready.txt",
                _("These certificates are still being prepared; download again later:")
                + "\n"
                + "\n".join(not_ready)
                + "\n",
            )
    archive.seek(0)
    day = timezone.localdate().isoformat()
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"certificates-{day}.zip",
        content_type="application/zip",
    )


# Open Badges 3.0: the published keys and revocation list, and each certificate's credential.


def _public_json(data: dict, *, content_type: str = "application/json") -> HttpResponse:
    """A public document other sites' verifiers read: any origin may fetch it."""
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = f"{content_type}; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def badge_jwks(request):
    """The issuer's public keys (JWKS): the current one and every retired one."""
    response = _public_json(badge_public_keys(), content_type="application/jwk-set+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def badge_issuer_profile(request):
    issuer = badge_issuer()
    return _public_json({"@context": [badges.VC_CONTEXT, badges.OB_CONTEXT], **issuer.as_profile()})


@require_GET
def badge_achievement_view(request, program_code: str):
    achievement = badge_achievement(program_code)
    if achievement is None:
        return JsonResponse({"error": _("Unknown program.")}, status=404)
    return _public_json(achievement)


@require_GET
def badge_status_list(request):
    """The revocation list as a signed `BitstringStatusListCredential` (VC-JWT). Never kept
    by caches: a revocation shows at once."""
    response = HttpResponse(signed_status_list(timezone.now()), content_type=badges.MEDIA_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def _badge_filename(certificate, extension: str) -> str:
    return _pdf_filename(certificate).removesuffix(".pdf") + f".{extension}"


@require_GET
def badge_by_code(request, code: str):
    """The credential of the certificate with `code`, as JSON (the signed JWT and what it
    says): to whoever has the code, as the verification page is."""
    code = code[:MAX_CODE_INPUT]
    if _rate_limited(request):
        message = _("Too many look-ups. Please wait a minute and try again.")
        return JsonResponse({"error": message}, status=429)
    certificate = certificate_by_code(code)
    if certificate is None:
        message = _("No certificate has this verification code. Check the code and try again.")
        return JsonResponse({"error": message}, status=404)
    token, credential = signed_badge(certificate)
    response = HttpResponse(
        badges.credential_download(token, credential), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_badge_filename(certificate, "json")
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_GET
def my_badge(request, pk: int):
    """The holder's own credential as a VC-JWT file (from 我的证书)."""
    certificate = Certificate.objects.select_related("program").filter(pk=pk).first()
    if certificate is None or not may_download_badge(request.user, certificate):
        raise Http404
    token, _credential = signed_badge(certificate)
    response = HttpResponse(token, content_type=badges.MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_badge_filename(certificate, "jwt")
    )
    return response
