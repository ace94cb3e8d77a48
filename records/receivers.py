from academy.signals import evidence_recorded
from django.dispatch import receiver


@receiver(evidence_recorded)
def recompute_competency_records(sender, user, **kwargs):
    """New evidence (a lesson, a quiz, a role-play, an observation, a certificate) may change
    the learner's levels."""
    from .services import records_recompute_for

    records_recompute_for(user)
