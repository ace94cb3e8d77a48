"""Background work: rendering certificate PDFs and bulk re-issues (inline unless a worker
backend is set)."""

from django_tasks import task


@task()
def render_certificate_pdf(certificate_id: int) -> str:
    from .services import certificate_store_pdf

    return certificate_store_pdf(certificate_id).pdf.name


@task()
def run_bulk_reissue(job_id: int) -> int:
    """Re-issue the certificates of a bulk re-issue; returns how many were re-issued."""
    from .services import bulk_reissue_run

    return bulk_reissue_run(job_id).done
