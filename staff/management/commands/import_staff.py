from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from staff.roster import RosterError
from staff.services import staff_import_roster


class Command(BaseCommand):
    help = "Create or update staff from a CSV or XLSX roster; imports nothing if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            result = staff_import_roster(path=path)
        except RosterError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(error.problems)}
            ) from error
        self.stdout.write(
            _("Imported %(created)s new and updated %(updated)s existing staff.")
            % {"created": result.created, "updated": result.updated}
        )
