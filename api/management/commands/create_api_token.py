from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.services import ApiTokenError, api_token_create


class Command(BaseCommand):
    help = (
        "Create a token for the read-only HR API, acting as USERNAME (it sees what that "
        "user may see). The token is printed once and never stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="Which system uses the token, e.g. 'HR system'.")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user “%(username)s”.") % {"username": username})
        try:
            row, token = api_token_create(user=user, name=name)
        except ApiTokenError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            _(
                "Created API token “%(name)s” (%(prefix)s…) acting as %(username)s. Copy it "
                "now: it is not shown again."
            )
            % {"name": row.name, "prefix": row.prefix, "username": username}
        )
        # The token alone on stdout, so that a script can capture it.
        self.stdout.write(token)
