from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.services import ApiTokenError, api_token_revoke


class Command(BaseCommand):
    help = "Revoke an HR API token, named by its prefix (its first 8 characters)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix: str, **options):
        try:
            row = api_token_revoke(prefix=prefix)
        except ApiTokenError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("Revoked API token “%(name)s” (%(prefix)s…).")
            % {"name": row.name, "prefix": row.prefix}
        )
