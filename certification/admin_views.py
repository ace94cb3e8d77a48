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
from .models import BulkReissue, Certificate, CertificateDesign, Program, current_q


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
            designs=CertificateDesign.objects.filter(live=True),
            bulk_reissues=selectors.bulk_reissues(),
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


class DesignReissueView(TrainerToolView, TemplateView):
    """Choose the holders whose certificates to re-issue after a design change, with one
    reason; the worker does it (see BulkReissueView for the progress)."""

    permission = "certification.reissue_certificate"
    template_name = "certification/admin/design_reissue.html"
    header_icon = "doc-full"
    parent_crumb = ("certification_admin:tools", gettext_lazy("Certificate tools"))

    def get_page_title(self):
        return _("Re-issue certificates with %(design)s") % {"design": self.design.name}

    def dispatch(self, request, *args, **kwargs):
        self.design = get_object_or_404(CertificateDesign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def program_id(self) -> int | None:
        raw = self.request.GET.get("program") or ""
        return int(raw) if raw.isdigit() else None

    def get_context_data(self, **kwargs):
        candidates = selectors.reissue_candidates(self.design, program_id=self.program_id())
        all_using = selectors.certificates_using_design(self.design)
        return super().get_context_data(
            design=self.design,
            candidates=candidates,
            outdated=sum(1 for _c, up_to_date in candidates if not up_to_date),
            programs=Program.objects.filter(pk__in=all_using.values("program_id")),
            program_id=self.program_id(),
            **kwargs,
        )

    def post(self, request, pk: int):
        ids = [int(v) for v in request.POST.getlist("certificate") if v.isdigit()]
        try:
            job = services.bulk_reissue_start(
                by=request.user,
                certificate_ids=ids,
                reason=request.POST.get("reason", ""),
                design=self.design,
            )
        except services.CertificationError as error:
            messages.error(request, error.message)
            return redirect(request.get_full_path())
        return redirect(reverse("certification_admin:bulk_reissue", args=[job.pk]))


class BulkReissueView(TrainerToolView, TemplateView):
    """A bulk re-issue's progress; the page reloads itself until the job has finished."""

    permission = "certification.reissue_certificate"
    template_name = "certification/admin/bulk_reissue.html"
    page_title = gettext_lazy("Bulk re-issue")
    header_icon = "doc-full"
    parent_crumb = ("certification_admin:tools", gettext_lazy("Certificate tools"))

    def get_context_data(self, **kwargs):
        job = get_object_or_404(
            BulkReissue.objects.select_related("design", "requested_by"), pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            job=job,
            failures=job.items.exclude(error="").select_related("certificate"),
            **kwargs,
        )
