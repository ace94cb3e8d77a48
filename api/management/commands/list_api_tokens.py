from django.core.management.base import BaseCommand
from django.utils.timezone import localtime

from api.models import ApiToken


class Command(BaseCommand):
    help = "List the HR API tokens: prefix, name, user, created, last used, revoked."

    def handle(self, *args, **options):
        for row in ApiToken.objects.select_related("user"):
            self.stdout.write(
                "\t".join(
                    [
                        row.prefix,
                        row.name,
                        row.user.get_username(),
                        _when(row.created_at),
                        _when(row.last_used_at),
                        _when(row.revoked_at),
                    ]
                )
            )


def _when(moment) -> str:
    return f"{localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"
