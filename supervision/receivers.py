from academy.signals import evidence_recorded
from django.dispatch import receiver


@receiver(evidence_recorded)
def recount_program_progress(sender, user, **kwargs):
    from .services import progress_update_for

    progress_update_for(user)
