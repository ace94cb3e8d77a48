"""python manage.py readable_slugs — once after upgrading: pinyin slugs for old pages."""

from django.core.management.base import BaseCommand

from courses.services import pages_make_slugs_readable
from roleplays.services import scenarios_make_slugs_readable


class Command(BaseCommand):
    help = (
        "Give course pages and role-play scenarios saved with Chinese slugs their pinyin "
        "slugs; the old addresses redirect (301) to the new ones. Safe to run again."
    )

    def handle(self, *args, **options):
        for old, new in pages_make_slugs_readable():
            self.stdout.write(f"page {old} → {new}")
        for old, new in scenarios_make_slugs_readable():
            self.stdout.write(f"role-play {old} → {new}")
