from academy.signals import evidence_recorded
from django.dispatch import receiver


@receiver(evidence_recorded)
def issue_newly_earned_certificates(sender, user, **kwargs):
    from .services import certificates_check_for

    certificates_check_for(user)
