"""Trainer tools for certificates in the Wagtail admin: re-issue corrected certificates (one
or many at once after a design change) and download them in bulk."""

from academy.admin_guards import TrainerToolView
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages

from . import selectors, services
from .models import Certificate, Program, current_q


class CertificateToolsView(TrainerToolView, TemplateView):
    permission = "certification.view_certificate"
    template_name = "certification/admin/tools.html"
    page_title = gettext_lazy("Certificates: re-issue and download")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        current = current_q("certificates__")
        return super().get_context_data(
            programs=Program.objects.annotate(current=Count("certificates", filter=current)),
            needing_reissue=selectors.certificates_needing_reissue(),
            revoked=selectors.revoked_without_successor(),
            may_reissue=self.request.user.has_perm("certification.reissue_certificate"),
            **kwargs,
        )


class _ReasonActionView(TrainerToolView, TemplateView):
    """A POST with a reason that acts on one certificate, then back to the tools page."""

    permission = "certification.reissue_certificate"
    http_method_names = ["post"]

    def act(self, certificate: Certificate, reason: str) -> str:
        raise NotImplementedError

    def post(self, request, pk: int):
        certificate = get_object_or_404(Certificate, pk=pk)
        try:
            messages.success(request, self.act(certificate, request.POST.get("reason", "")))
        except services.CertificationError as error:
            messages.error(request, error.message)
        return redirect(reverse("certification_admin:tools"))


class CertificateReissueView(_ReasonActionView):
    def act(self, certificate, reason):
        new = services.certificate_reissue(
            certificate=certificate, by=self.request.user, reason=reason
        )
        return _("Re-issued %(serial)s as version %(version)d.") % {
            "serial": new.serial,
            "version": new.version,
        }


class CertificateIssueAgainView(_ReasonActionView):
    def act(self, certificate, reason):
        new = services.certificate_issue_after_revocation(
            revoked=certificate, by=self.request.user, reason=reason
        )
        return _("Issued %(serial)s to %(name)s.") % {"serial": new.serial, "name": new.holder_name}

