"""The badge signing keys: list them, or rotate (a new current key; the old ones stay
published so the credentials they signed still verify). Prints key names, never keys."""

from django.core.management.base import BaseCommand, CommandError

from certification import badge_keys, badges


class Command(BaseCommand):
    help = "List the Open Badges signing keys, or --rotate to make a new current key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Make a new current key in the key file; older keys keep verifying.",
        )

    def handle(self, *args, rotate=False, **options):
        try:
            if rotate:
                kid = badge_keys.rotate()
                self.stdout.write(f"New current badge key: {kid}")
            keys = badge_keys.signing_keys()
        except badges.BadgeKeyError as error:
            raise CommandError(str(error)) from None
        for number, key in enumerate(keys.keys):
            self.stdout.write(f"{key.kid}\t{'current' if number == 0 else 'retired'}")
