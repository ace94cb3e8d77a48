"""python manage.py export_questions [--category NAME] > questions.gift"""

from django.core.management.base import BaseCommand, CommandError

from quizzes.models import QuestionCategory
from quizzes.selectors import bank_as_gift


class Command(BaseCommand):
    help = "Write the question bank (or one category) as GIFT to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--category", default=None)

    def handle(self, *args, category: str | None, **options):
        chosen = None
        if category:
            chosen = QuestionCategory.objects.filter(name=category).first()
            if chosen is None:
                raise CommandError(f"No category named {category!r}.")
        self.stdout.write(bank_as_gift(chosen), ending="")
