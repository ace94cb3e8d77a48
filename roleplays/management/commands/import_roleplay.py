"""python manage.py import_roleplay PATH  (a Twee 3 story, or Twine 2's published HTML)

A story written for Kefu Academy (nothing left on its checklist) is published, as before; any
other Twine story is saved as a draft and the command lists what remains."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roleplays.services import ScenarioInvalid, import_size_problem, scenario_import_twee


class Command(BaseCommand):
    help = (
        "Import a Twine story (Twee 3 or published HTML) as a role-play scenario: published "
        "when complete, otherwise a draft with what remains listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            # A file too large is refused before it is read into memory.
            too_large = import_size_problem(path.stat().st_size)
            text = "" if too_large else path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text.") from error
        try:
            if too_large:
                raise ScenarioInvalid([too_large])
            report = scenario_import_twee(text=text, publish=True, file_name=path.name)
        except ScenarioInvalid as failure:
            for problem in failure.problems:
                self.stderr.write(
                    str(getattr(problem, "message", problem))
                    if not hasattr(problem, "line")
                    else str(problem)
                )
            raise CommandError(
                f"Nothing imported: {len(failure.problems)} problem(s) in {path}."
            ) from failure
        self.stdout.write(
            f"Imported {report.scenario.slug}: {report.nodes} nodes, {report.choices} choices, "
            f"{report.endings} endings."
        )
        for ignored in report.ignored:
            self.stdout.write(f"Ignored: {ignored}")
        if report.published:
            self.stdout.write("Published.")
            return
        self.stdout.write("Saved as a draft. Before it can be published:")
        for item in report.remaining:
            self.stdout.write(f"- {item.message}")
            for detail in item.details:
                self.stdout.write(f"    {detail}")
