"""Bring every active staff member's competency records in line with the evidence.

Evidence recorded through the services updates the records at once; run this after a bulk
import, or daily, so that what time alone changes (a certificate expiring) is followed too.
Idempotent: people whose evidence did not change get no new history.
"""

from django.core.management.base import BaseCommand

from records.services import records_recompute_for
from staff.models import StaffProfile


class Command(BaseCommand):
    help = "Recompute every active staff member's competency levels from the evidence."

    def handle(self, *args, **options):
        people = changed = 0
        for profile in StaffProfile.objects.filter(active=True).select_related("user"):
            people += 1
            changed += len(records_recompute_for(profile.user))
        self.stdout.write(f"{people} people, {changed} records changed")
