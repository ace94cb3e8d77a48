"""python manage.py import_questions PATH --format gift|moodlexml [--category NAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.services import ImportFailed, import_size_problem, questions_import


class Command(BaseCommand):
    help = (
        "Import questions from a Moodle GIFT or Moodle XML file into the question bank. "
        "A file with any problem imports nothing; importing it again adds only new "
        "questions and new versions of changed ones (see questions_import)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["gift", "moodlexml"], required=True)
        parser.add_argument(
            "--category",
            default=None,
            help="Put every question in this category instead of the file's own categories.",
        )

    def handle(self, *args, path: Path, format: str, category: str | None, **options):
        try:
            # A file too large is refused before it is read into memory.
            too_large = import_size_problem(path.stat().st_size)
            data = b"" if too_large else path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            if too_large:
                raise ImportFailed([too_large])
            report = questions_import(
                data=data, fmt=format, category_name=category, file_name=path.name
            )
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing imported: {len(failure.problems)} problem(s) in {path}."
            ) from failure
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"{len(report.new)} new, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged questions in {', '.join(report.categories)}."
        )
        if report.updated:
            self.stdout.write("Updated: " + ", ".join(report.updated))
