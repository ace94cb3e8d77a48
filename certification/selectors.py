"""Reads: a learner's evidence for the requirement checks; certificates by code; who may
do what with a certificate, and the certificate cards pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from academy.tasks import follow_up_pending
from django.conf import settings
from django.urls import reverse

from courses.selectors import module_summaries_for
from quizzes.selectors import quiz_results_for
from roleplays import engine
from roleplays.models import Run, RunState
from staff.selectors import may_act_on, staff_visible_to

from . import rules
from .models import Certificate, CertificateDesign, Observation, Program


def evidence_for(user, program: Program) -> rules.Evidence:
    requirements = [r.as_rule() for r in program.requirements.all()]
    quiz_ids = [r.target_id for r in requirements if r.kind == rules.QUIZ]
    scenario_ids = [r.target_id for r in requirements if r.kind == rules.ROLEPLAY]
    completed = set()
    if any(r.kind == rules.LESSONS for r in requirements):
        completed = {m.module_id for m in module_summaries_for(user) if m.status == "completed"}
    roleplay_best, roleplay_dimensions = _roleplay_results(user, scenario_ids)
    observed = any(r.kind == rules.OBSERVATION for r in requirements) and (
        Observation.objects.filter(user=user, passed=True).exists()
    )
    return rules.Evidence(
        observation_passed=observed,
        completed_modules=completed,
        quiz_best=quiz_results_for(user, quiz_ids) if quiz_ids else {},
        roleplay_best=roleplay_best,
        roleplay_dimensions=roleplay_dimensions,
    )


def _roleplay_results(user, scenario_ids):
    """Per scenario: the best overall percentage of a passed run (engine.best_run), and the
    best percentage in each dimension among passed runs (engine.dimension_percent)."""
    best: dict[int, tuple[float, bool]] = {}
    dimensions: dict[int, dict[str, float]] = {}
    if not scenario_ids:
        return best, dimensions
    runs: dict[int, list[engine.RunResult]] = {}
    for scenario_id, overall, points, best_path in Run.objects.filter(
        user=user, scenario_id__in=scenario_ids, state=RunState.FINISHED, passed=True
    ).values_list("scenario_id", "overall_percent", "scores", "version__best_path"):
        runs.setdefault(scenario_id, []).append(
            engine.RunResult(overall, True, points, (best_path or {}).get("scores", {}))
        )
    for scenario_id, results in runs.items():
        best[scenario_id] = (engine.best_run(results).percent, True)
        mine = dimensions[scenario_id] = {}
        for result in results:
            for dimension, percent in result.dimension_percents().items():
                mine[dimension] = max(mine.get(dimension, 0.0), percent)
    return best, dimensions


def certificate_by_code(code: str) -> Certificate | None:
    canonical = rules.normalise_code(code)
    if canonical is None:
        return None
    return Certificate.objects.select_related("program").filter(code=canonical).first()


@dataclass(frozen=True)
class VerifiedVersion:
    """One certificate version as public verification shows it: what is printed on it and
    its status, nothing more about the person (no employee number, no reason for a
    revocation or re-issue, not who did it, not its verification code)."""

    holder: str
    program: str
    serial: str
    version: int
    issued_on: date
    expires_on: date | None
    status: str
    is_current: bool  # neither revoked nor superseded: the version the holder has now

    @classmethod
    def of(cls, certificate: Certificate, today: date) -> VerifiedVersion:
        return cls(
            holder=certificate.holder_name,
            program=certificate.program.name,
            serial=certificate.serial,
            version=certificate.version,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            status=certificate.status(today),
            is_current=certificate.is_current,
        )

    def as_json(self) -> dict:
        """What the code page's JSON has always answered (a version adds its number)."""
        return {
            "holder": self.holder,
            "program": self.program,
            "serial": self.serial,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "status": self.status,
        }


def verified_versions(serial: str, today: date) -> list[VerifiedVersion]:
    """Every version of the certificate with `serial` (canonical, `rules.normalise_serial`),
    newest first; empty when there is no such serial."""
    certificates = Certificate.objects.filter(serial=serial).select_related("program")
    return [VerifiedVersion.of(c, today) for c in certificates.order_by("-version")]


def verification_url(code: str) -> str:
    """The public page that verifies the certificate with `code` (printed on the PDF)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify_certificate", args=[code])


def _oversees(user, *, acts_on_holder: bool) -> bool:
    """Trainers oversee everybody's certificates; supervisors those of the staff they act on."""
    return acts_on_holder or user.has_perm("certification.view_certificate")


def may_download_pdf(user, certificate: Certificate) -> bool:
    """`rules.pdf_downloadable` for `user` and one certificate."""
    return rules.pdf_downloadable(
        current=certificate.is_current,
        by_holder=certificate.user_id == user.pk,
        by_overseer=_oversees(user, acts_on_holder=may_act_on(user, certificate.user_id)),
    )


@dataclass(frozen=True)
class CertificateCard:
    """One certificate as a page shows it, with what the viewer may do with it: the card
    (`certification/includes/certificate_card.html`) only displays these answers."""

    certificate: Certificate
    status: str
    may_download_pdf: bool
    may_revoke: bool
    share_url: str = ""  # the holder's own valid certificate: its verification link to copy


def certificate_cards(viewer, holder_user_id: int, today) -> list[CertificateCard]:
    """Every certificate version a person holds, newest first, as `viewer` sees it (callers
    have checked that the viewer may see the person). One query, plus the access checks."""
    by_holder = viewer.pk == holder_user_id
    acts_on = may_act_on(viewer, holder_user_id)
    by_overseer = _oversees(viewer, acts_on_holder=acts_on)
    cards = []
    for certificate in Certificate.objects.filter(user_id=holder_user_id).select_related("program"):
        status = certificate.status(today)
        cards.append(
            CertificateCard(
                certificate=certificate,
                status=status,
                may_download_pdf=rules.pdf_downloadable(
                    current=certificate.is_current, by_holder=by_holder, by_overseer=by_overseer
                ),
                # Revoking refuses a version that is not current; offer it only where it works.
                may_revoke=acts_on and certificate.is_current,
                share_url=verification_url(certificate.code)
                if by_holder and status == rules.VALID
                else "",
            )
        )
    return cards


def latest_is_revoked(user, program: Program) -> bool:
    """The person's last certificate of the program was revoked: a revocation sticks, only
    a trainer issues again (`services.certificate_issue_after_revocation`)."""
    latest = (
        Certificate.objects.filter(user=user, program=program)
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest is not None and latest.revoked_at is not None


def my_certification(user, today) -> dict:
    """The learner's certificate cards, newest first, and per active program what is
    missing; `preparing`: the programs whose certificate the worker is issuing right now
    (every requirement met, none held, the follow-up of their last evidence still queued)."""
    certificates = certificate_cards(user, user.pk, today)
    held = {c.certificate.program_id for c in certificates if c.status == rules.VALID}
    programs = []
    for program in Program.objects.filter(active=True).prefetch_related(
        "requirements__module", "requirements__quiz", "requirements__scenario"
    ):
        requirements = list(program.requirements.all())
        evidence = evidence_for(user, program)
        met = [(r, rules.requirement_met(r.as_rule(), evidence)) for r in requirements]
        earned = bool(met) and all(ok for _r, ok in met) and program.pk not in held
        programs.append(
            {
                "program": program,
                "held": program.pk in held,
                "preparing": earned
                and follow_up_pending(user.pk)
                and not latest_is_revoked(user, program),
                "requirements": met,
            }
        )
    return {
        "certificates": certificates,
        "programs": programs,
        "preparing": [entry["program"] for entry in programs if entry["preparing"]],
    }


def design_for(program: Program) -> CertificateDesign | None:
    if program.design_id:
        return program.design
    return CertificateDesign.objects.filter(default=True).first()


def reissue_reasons(
    certificate: Certificate, *, current_name: str | None, design: CertificateDesign | None
) -> list[str]:
    """Why a current certificate's PDF no longer matches the records (empty: it does)."""
    from django.utils.translation import gettext as _

    reasons = []
    if current_name and current_name != certificate.holder_name:
        reasons.append(_("The holder's name is now %(name)s.") % {"name": current_name})
    if certificate.pdf and (design.snapshot() if design else {}) != certificate.pdf_design:
        reasons.append(_("The certificate design has changed."))
    return reasons


def certificates_needing_reissue() -> list[tuple[Certificate, list[str]]]:
    """Current certificates whose holder was renamed or whose design changed since."""
    from django.db.models import F

    designs = {}
    found = []
    for certificate in (
        Certificate.objects.current()
        .select_related("program")
        .annotate(current_name=F("user__staff_profile__name"))
        .order_by("serial")
    ):
        if certificate.program_id not in designs:
            designs[certificate.program_id] = design_for(certificate.program)
        reasons = reissue_reasons(
            certificate,
            current_name=certificate.current_name,
            design=designs[certificate.program_id],
        )
        if reasons:
            found.append((certificate, reasons))
    return found


def revoked_without_successor() -> list[Certificate]:
    """Revoked certificates that are their holder's latest for the program: automatic
    issuing is off for these people until a trainer issues again."""
    from django.db.models import Exists, OuterRef

    later = Certificate.objects.filter(
        user=OuterRef("user"), program=OuterRef("program"), created_at__gt=OuterRef("created_at")
    )
    return list(
        Certificate.objects.filter(revoked_at__isnull=False)
        .exclude(Exists(later))
        .select_related("program")
        .order_by("-revoked_at")
    )


def certificates_visible_to(user):
    """Certificates of the people `user` oversees or is (trainers: all; supervisors: their
    staff's; everyone: their own). Of these, the bulk download takes the current ones, which
    `rules.pdf_downloadable` allows to each of them."""
    certificates = Certificate.objects.select_related("program")
    if user.has_perm("certification.view_certificate"):
        return certificates
    return certificates.filter(
        user_id__in=staff_visible_to(user).values("user_id")
    ) | certificates.filter(user=user)


@dataclass(frozen=True)
class ObservationEntry:
    """One on-the-job observation as the person's record lists it."""

    observed_on: object  # date
    observer: str
    passed: bool
    unmet: list[str]  # the checklist items not met, translated, in the checklist's order
    note: str


@dataclass(frozen=True)
class ObservationHistory:
    entries: list[ObservationEntry]  # newest first, at most `limit`
    total: int  # every observation of the person
    counts_toward: list[str]  # the active programs that require an observation


def observation_history(user_id: int, *, limit: int = 20) -> ObservationHistory:
    """A person's on-the-job observations, newest first: when, by whom, passed or not and
    which checklist items were not met (`rules.observation_unmet`). Callers have checked
    that the viewer may see the person. Three queries."""
    from django.utils.translation import gettext as _

    observations = Observation.objects.filter(user_id=user_id)
    rows = observations.select_related("observer__staff_profile").order_by(
        "-observed_on", "-created_at", "-pk"
    )[:limit]
    entries = [
        ObservationEntry(
            observed_on=row.observed_on,
            observer=_person_name(row.observer),
            passed=row.passed,
            unmet=[_(label) for _key, label in rules.observation_unmet(row.results or {})],
            note=row.note,
        )
        for row in rows
    ]
    programs = (
        Program.objects.filter(active=True, requirements__kind=rules.OBSERVATION)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    total = len(entries) if len(entries) < limit else observations.count()
    return ObservationHistory(entries=entries, total=total, counts_toward=list(programs))


def _person_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.name if profile else (user.get_full_name() or user.get_username())
