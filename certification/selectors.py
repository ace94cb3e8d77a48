"""Reads: a learner's evidence for the requirement checks; certificates by code; who may
do what with a certificate, and the certificate cards pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from academy.tasks import follow_up_pending
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from courses.selectors import module_summaries_for
from quizzes.selectors import quiz_results_for, quizzes_awaiting_grading
from roleplays import engine
from roleplays.models import Run, RunState
from staff.selectors import may_act_on, staff_visible_to

from . import badge_keys, badges, rules
from .models import Certificate, CertificateDesign, Observation, Program, current_q


def evidence_for(user, program: Program, *, since: date | None = None) -> rules.Evidence:
    """What `user` has achieved toward `program`'s requirements; with `since`, only quiz
    attempts, role-play runs and observations of that day or later count (a renewal's
    fresh evidence, `rules.Standing.evidence_from`). Lessons done stay done: reading is not
    examined again, and a lesson added since must still be completed."""
    requirements = [r.as_rule() for r in program.requirements.all()]
    quiz_ids = [r.target_id for r in requirements if r.kind == rules.QUIZ]
    scenario_ids = [r.target_id for r in requirements if r.kind == rules.ROLEPLAY]
    module_ids = {r.target_id for r in requirements if r.kind == rules.LESSONS}
    completed, lessons = set(), {}
    if module_ids:
        for summary in module_summaries_for(user):
            if summary.module_id in module_ids:
                lessons[summary.module_id] = (summary.completed_count, summary.total)
                if summary.status == "completed":
                    completed.add(summary.module_id)
    roleplay_best, roleplay_dimensions, roleplay_tried = _roleplay_results(
        user, scenario_ids, since
    )
    observations = Observation.objects.filter(user=user)
    if since is not None:
        observations = observations.filter(observed_on__gte=since)
    observed = any(r.kind == rules.OBSERVATION for r in requirements) and (
        observations.filter(passed=True).exists()
    )
    return rules.Evidence(
        observation_passed=observed,
        completed_modules=completed,
        quiz_best=quiz_results_for(user, quiz_ids, since=since) if quiz_ids else {},
        roleplay_best=roleplay_best,
        roleplay_dimensions=roleplay_dimensions,
        module_lessons=lessons,
        quizzes_awaiting_grading=quizzes_awaiting_grading(user, quiz_ids, since=since)
        if quiz_ids
        else set(),
        roleplay_tried=roleplay_tried,
    )


def _roleplay_results(user, scenario_ids, since: date | None = None):
    """Per scenario: the best overall percentage of a passed run (engine.best_run), the
    best percentage in each dimension among passed runs (engine.dimension_percent), and the
    overall percentage of the run that counts among all finished ones (passed or not)."""
    best: dict[int, tuple[float, bool]] = {}
    dimensions: dict[int, dict[str, float]] = {}
    tried: dict[int, float] = {}
    if not scenario_ids:
        return best, dimensions, tried
    finished = Run.objects.filter(user=user, scenario_id__in=scenario_ids, state=RunState.FINISHED)
    if since is not None:
        finished = finished.filter(
            finished_at__gte=timezone.make_aware(datetime.combine(since, time.min))
        )
    runs: dict[int, list[engine.RunResult]] = {}
    for scenario_id, overall, passed, points, best_path in finished.values_list(
        "scenario_id", "overall_percent", "passed", "scores", "version__best_path"
    ):
        runs.setdefault(scenario_id, []).append(
            engine.RunResult(
                overall or 0.0, bool(passed), points, (best_path or {}).get("scores", {})
            )
        )
    for scenario_id, results in runs.items():
        tried[scenario_id] = engine.best_run(results).percent
        passed_runs = [r for r in results if r.passed]
        if not passed_runs:
            continue
        best[scenario_id] = (engine.best_run(passed_runs).percent, True)
        mine = dimensions[scenario_id] = {}
        for result in passed_runs:
            for dimension, percent in result.dimension_percents().items():
                mine[dimension] = max(mine.get(dimension, 0.0), percent)
    return best, dimensions, tried


def current_certificate(user, program: Program) -> Certificate | None:
    """The person's current certificate of the program (valid or expired), if any."""
    return Certificate.objects.current().filter(user=user, program=program).first()


def standing_for(user, program: Program, today: date) -> rules.Standing:
    """`rules.standing` from the person's current certificate of the program."""
    current = current_certificate(user, program)
    return rules.standing(
        current_expires_on=current.expires_on if current else None,
        has_current=current is not None,
        today=today,
    )


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
    valid_from: date  # the issue day, or the old certificate's expiry for an early renewal
    expires_on: date | None
    status: str
    is_current: bool  # neither revoked nor superseded: the version the holder has now

    @property
    def renewed_early(self) -> bool:
        return self.valid_from != self.issued_on

    @classmethod
    def of(cls, certificate: Certificate, today: date) -> VerifiedVersion:
        return cls(
            holder=certificate.holder_name,
            program=certificate.program.name,
            serial=certificate.serial,
            version=certificate.version,
            issued_on=certificate.issued_on,
            valid_from=certificate.starts_on,
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
            "valid_from": self.valid_from.isoformat(),
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


def may_download_badge(user, certificate: Certificate) -> bool:
    """The holder downloads their own credential; anyone else needs its verification code
    (`badge_by_code`), as for the verification page."""
    return certificate.user_id == user.pk


@dataclass(frozen=True)
class CertificateCard:
    """One certificate as a page shows it, with what the viewer may do with it: the card
    (`certification/includes/certificate_card.html`) only displays these answers."""

    certificate: Certificate
    status: str
    may_download_pdf: bool
    may_revoke: bool
    share_url: str = ""  # the holder's own valid certificate: its verification link to copy
    may_download_badge: bool = False  # the holder: the Open Badges 3.0 credential


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
                may_download_badge=by_holder,
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


@dataclass(frozen=True)
class RequirementRow:
    """One requirement as the requirement list shows it (`certification/includes/
    requirements.html`): what satisfies it — its name and page (none for an observation:
    the supervisor comes) — what it takes, and how far the person is."""

    kind: str
    name: str  # the module, quiz or role-play ("" for an observation)
    url: str  # its page ("" for an observation)
    needed: int | None  # the percentage to reach (quizzes, role-plays)
    dimension: str  # a role-play dimension's label, when the requirement is on one
    progress: rules.Progress

    @property
    def met(self) -> bool:
        return self.progress.met


@dataclass
class ProgramStanding:
    """A person and one program: their current certificate, `rules.Standing`, and each
    requirement's row over the evidence that counts (`rules.shown_progress`)."""

    program: Program
    standing: rules.Standing
    certificate: Certificate | None  # current: valid or expired
    rows: list[RequirementRow] = field(default_factory=list)
    preparing: bool = False  # earned; the worker is issuing it right now

    @property
    def held(self) -> bool:
        return self.standing.held

    @property
    def missing(self) -> list[RequirementRow]:
        return [row for row in self.rows if not row.met]

    @property
    def met_count(self) -> int:
        return len(self.rows) - len(self.missing)


def _needed_percents(requirements) -> dict[int, int]:
    """The percentage each quiz or role-play requirement takes: the quiz's or the role-play's
    own pass mark, or the requirement's minimum if higher (a dimension: its minimum)."""
    from roleplays.models import ScenarioVersion

    settings_by_version = dict(
        ScenarioVersion.objects.filter(
            pk__in=[
                r.scenario.live_version_id
                for r in requirements
                if r.kind == rules.ROLEPLAY and r.scenario_id
            ]
        ).values_list("pk", "setting")
    )
    needed = {}
    for r in requirements:
        if r.kind == rules.QUIZ and r.quiz_id:
            needed[r.pk] = max(r.quiz.pass_mark, r.min_percent)
        elif r.kind == rules.ROLEPLAY and r.dimension:
            needed[r.pk] = r.min_percent
        elif r.kind == rules.ROLEPLAY and r.scenario_id:
            setting = settings_by_version.get(r.scenario.live_version_id) or {}
            needed[r.pk] = max(engine.pass_mark(setting), r.min_percent)
    return needed


def _requirement_row(requirement, progress: rules.Progress, needed: int | None) -> RequirementRow:
    if requirement.kind == rules.LESSONS and requirement.module_id:
        name, url = requirement.module.title, requirement.module.get_url() or ""
    elif requirement.kind == rules.QUIZ and requirement.quiz_id:
        name, url = requirement.quiz.title, reverse("quiz_detail", args=[requirement.quiz_id])
    elif requirement.kind == rules.ROLEPLAY and requirement.scenario_id:
        name = requirement.scenario.title
        url = reverse("roleplay_detail", args=[requirement.scenario.slug])
    else:
        name, url = "", ""
    return RequirementRow(
        kind=requirement.kind,
        name=name,
        url=url,
        needed=needed,
        dimension=requirement.get_dimension_display() if requirement.dimension else "",
        progress=progress,
    )


def programs_with_requirements():
    """Active programs with what their requirement rows read, by name."""
    return (
        Program.objects.filter(active=True)
        .order_by("name")
        .prefetch_related("requirements__module", "requirements__quiz", "requirements__scenario")
    )


def program_standing(user, program: Program, today: date) -> ProgramStanding:
    """Where `user` stands in `program` (see `ProgramStanding`). A handful of queries."""
    current = current_certificate(user, program)
    held = rules.standing(
        current_expires_on=current.expires_on if current else None,
        has_current=current is not None,
        today=today,
    )
    requirements = list(program.requirements.all())
    evidence = evidence_for(user, program, since=held.evidence_from)
    needed = _needed_percents(requirements)
    rows = [
        _requirement_row(r, rules.shown_progress(r.as_rule(), evidence, held), needed.get(r.pk))
        for r in requirements
    ]
    earned = bool(rows) and all(row.met for row in rows)
    due = rules.next_certificate(held, today=today, validity_months=program.validity_months)
    return ProgramStanding(
        program=program,
        standing=held,
        certificate=current,
        rows=rows,
        preparing=earned
        and due is not None
        and follow_up_pending(user.pk)
        and not latest_is_revoked(user, program),
    )


def my_certification(user, today) -> dict:
    """The learner's certificate cards, newest first, and their standing in every active
    program (`program_standing`); `preparing`: the programs whose certificate the worker is
    issuing right now (every requirement met, a certificate due, the follow-up of their
    last evidence still queued)."""
    programs = [program_standing(user, p, today) for p in programs_with_requirements()]
    return {
        "certificates": certificate_cards(user, user.pk, today),
        "programs": programs,
        "preparing": [entry.program for entry in programs if entry.preparing],
    }


def design_for(program: Program) -> CertificateDesign | None:
    """The live design certificates of `program` are drawn with: the program's own if it is
    live, else the live default. A draft, or changes awaiting approval, never reach a PDF
    (a design's row holds its published state; drafts are revisions)."""
    if program.design_id and program.design.live:
        return program.design
    return CertificateDesign.objects.filter(default=True, live=True).first()


def certificates_using_design(design: CertificateDesign):
    """Current certificates whose program draws them with `design` (`design_for`)."""
    from django.db.models import Q

    uses = Q(program__design=design) if design.live else Q(pk__in=[])
    if design.live and design == CertificateDesign.objects.filter(default=True, live=True).first():
        uses |= Q(program__design__isnull=True) | Q(program__design__live=False)
    return (
        Certificate.objects.current()
        .filter(uses)
        .select_related("program")
        .order_by("program__name", "serial")
    )


def reissue_candidates(design: CertificateDesign, *, program_id: int | None = None) -> list:
    """The certificates a bulk re-issue for `design` offers, each with whether its PDF
    already shows the live design (those are left unticked)."""
    certificates = certificates_using_design(design)
    if program_id:
        certificates = certificates.filter(program_id=program_id)
    snapshot = design.snapshot()
    return [(c, bool(c.pdf) and c.pdf_design == snapshot) for c in certificates]


def bulk_reissues(limit: int = 10):
    from .models import BulkReissue

    return BulkReissue.objects.select_related("design", "requested_by")[:limit]


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


# Open Badges 3.0 (certification/badges.py): the credential of a certificate version, the
# revocation list and the keys, with the site's addresses.


def _public_url(name: str, *args) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(name, args=args)


def badge_issuer(certificate: Certificate | None = None) -> badges.Issuer:
    """The issuer as the certificate's PDF names it (the design it was drawn with), else as
    the program's live design, else the default design's wording."""
    from .pdf import Design

    name = ""
    if certificate is not None:
        name = (certificate.pdf_design or {}).get("issuer", "")
        if not name:
            design = design_for(certificate.program)
            name = design.issuer if design else ""
    return badges.Issuer(
        id=_public_url("badge_issuer"),
        name=name or Design.issuer,
        url=settings.PUBLIC_BASE_URL.rstrip("/") + "/",
    )


def badge_credential(certificate: Certificate) -> dict:
    """The unsigned `OpenBadgeCredential` of a certificate version. Written in the site's
    language whatever the request's, so a credential reads the same for everyone."""
    program = certificate.program
    with translation.override(settings.LANGUAGE_CODE):
        requirements = [
            str(r) for r in program.requirements.select_related("module", "quiz", "scenario").all()
        ]
    content = badges.BadgeContent(
        credential_id=_public_url("badge_by_code", certificate.code),
        holder=certificate.holder_name,
        program=program.name,
        program_description=program.description,
        achievement_id=_public_url("badge_achievement", program.code),
        requirements=requirements,
        serial=certificate.serial,
        version=certificate.version,
        issued_on=certificate.issued_on,
        valid_from=certificate.starts_on,
        expires_on=certificate.expires_on,
        status_index=certificate.status_index,
        status_list_url=_public_url("badge_status_list"),
    )
    return badges.open_badge_credential(content, badge_issuer(certificate))


def signed_badge(certificate: Certificate) -> tuple[str, dict]:
    """The certificate version's credential signed with the current key, and the
    credential itself."""
    credential = badge_credential(certificate)
    return badges.sign(credential, badge_keys.signing_keys()), credential


def revoked_status_indexes() -> list[int]:
    """The status list bits that are set: every version revoked or superseded."""
    return list(
        Certificate.objects.exclude(current_q())
        .filter(status_index__isnull=False)
        .values_list("status_index", flat=True)
    )


def signed_status_list(now: datetime) -> str:
    """The published `BitstringStatusListCredential`, signed with the current key."""
    credential = badges.status_list_credential(
        url=_public_url("badge_status_list"),
        issuer=badge_issuer(),
        revoked=revoked_status_indexes(),
        now=now,
    )
    return badges.sign(credential, badge_keys.signing_keys())


def badge_public_keys() -> dict:
    """The JWKS to publish: the current and every retired key's public part."""
    return badges.public_jwks(badge_keys.signing_keys())


def badge_achievement(program_code: str) -> dict | None:
    """A program as the `Achievement` its credentials name (what its `id` answers)."""
    program = Program.objects.filter(code=program_code).first()
    if program is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        requirements = [str(r) for r in program.requirements.all()]
    return {
        "@context": [badges.VC_CONTEXT, badges.OB_CONTEXT],
        **badges.achievement(
            id=_public_url("badge_achievement", program.code),
            name=program.name,
            description=program.description,
            requirements=requirements,
        ),
    }
