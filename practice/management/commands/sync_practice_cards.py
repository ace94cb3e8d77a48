from django.core.management.base import BaseCommand

from practice.services import cards_sync_all


class Command(BaseCommand):
    help = "Make the practice cards match the published lessons and the question bank."

    def handle(self, *args, **options):
        self.stdout.write(f"{cards_sync_all()} practice cards active.")
