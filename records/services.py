"""Writing competency records: following the evidence, and a supervisor's adjustment.

Both lock the person's user row first, so a recompute and an adjustment for one person
never interleave; both write a history row only when something changed.
"""

from __future__ import annotations

from academy.errors import Kind, Refused, cleaned_reason
from academy.models import Competency
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from staff.models import StaffProfile
from staff.selectors import may_act_on

from . import levels
from .models import CompetencyRecord, Source
from .selectors import REASON_NEW_EVIDENCE, REASON_PRACTICE_RECALL, derived_levels_for


class RecordsError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


def _lock_person(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _follow_evidence(user, derivations: dict[int, levels.Derivation]) -> list[CompetencyRecord]:
    """Bring the records in line with the evidence where the derived level changed.

    A supervisor's adjustment stands while the derived level stays what it was; when new
    evidence changes it, the level follows the evidence again. No record is made for a
    competency without evidence (it reads as level 0). The history names practice as the
    reason when sustained recall alone raised the level."""
    records = {
        r.competency_id: r for r in CompetencyRecord.objects.select_for_update().filter(user=user)
    }
    changed = []
    for competency_id, derivation in derivations.items():
        record = records.get(competency_id)
        if record is None:
            if derivation.level == levels.NOT_STARTED:
                continue
            record = CompetencyRecord(user=user, competency_id=competency_id)
        elif record.derived_level == derivation.level:
            continue
        raised = record.pk is None or derivation.level > record.derived_level
        record.level = record.derived_level = derivation.level
        record.source = Source.EVIDENCE
        record._history_user = None  # the evidence changed it, not whoever sent the request
        by_practice = raised and derivation.by_practice
        record._change_reason = REASON_PRACTICE_RECALL if by_practice else REASON_NEW_EVIDENCE
        record.save()
        changed.append(record)
    return changed


def records_recompute_for(user) -> list[CompetencyRecord]:
    """Derive every competency level of `user` from the evidence and store what changed.

    Idempotent: a second call with the same evidence writes nothing. Returns the records
    that changed."""
    with transaction.atomic():
        _lock_person(user)
        return _follow_evidence(user, derived_levels_for(user))


def _clean_level(value: object) -> int:
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            value = None
    if not levels.is_level(value):
        raise RecordsError(
            _("The level must be a whole number from %(low)d to %(high)d.")
            % {"low": levels.MIN_LEVEL, "high": levels.MAX_LEVEL},
            Kind.INVALID,
        )
    return value


def record_adjust(
    *, by, person: StaffProfile, competency: Competency, level: int | str, reason: str
) -> CompetencyRecord:
    """A supervisor sets a person's level in one competency, with a reason.

    Refused as not found when the person is not one the supervisor may see (or is the
    supervisor), as invalid for a missing reason or a level outside 0–4. The change is kept in
    the record's history with who made it and why; the same adjustment sent twice (a double
    click, a retry) is written once."""
    if not may_act_on(by, person.user_id):
        raise RecordsError(
            _("You can only change the records of staff you supervise."), Kind.NOT_FOUND
        )
    level = _clean_level(level)
    reason = cleaned_reason(
        reason, missing=_("Give a reason for changing the level."), error=RecordsError
    )
    user = person.user
    with transaction.atomic():
        _lock_person(user)
        # Catch up with the evidence first, so the adjustment is made against the level the
        # evidence supports today.
        _follow_evidence(user, derived_levels_for(user))
        record = (
            CompetencyRecord.objects.select_for_update()
            .filter(user=user, competency=competency)
            .first()
        )
        if record is None:
            record = CompetencyRecord(
                user=user, competency=competency, derived_level=levels.NOT_STARTED
            )
        elif record.level == level and record.source == Source.SUPERVISOR:
            last = record.history.first()
            if last is not None and last.history_change_reason == reason:
                return record  # already done (a resubmitted form)
        record.level = level
        record.source = Source.SUPERVISOR
        record._history_user = by
        record._change_reason = reason
        record.save()
    return record
