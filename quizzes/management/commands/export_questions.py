"""python manage.py export_questions [--category NAME] > questions.gift"""

from django.core.management.base import BaseCommand, CommandError

from quizzes.gift import export_gift
from quizzes.imported import ImportedQuestion
from quizzes.models import Question, QuestionCategory


class Command(BaseCommand):
    help = "Write the question bank (or one category) as GIFT to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--category", default=None)

    def handle(self, *args, category: str | None, **options):
        questions = Question.objects.select_related("category", "current_version").filter(
            current_version__isnull=False
        )
        if category:
            if not QuestionCategory.objects.filter(name=category).exists():
                raise CommandError(f"No category named {category!r}.")
            questions = questions.filter(category__name=category)
        self.stdout.write(export_gift(
            ImportedQuestion(name=q.name, category=q.category.name,
                             spec=q.current_version.spec, line=0)
            for q in questions.order_by("category__name", "pk")
        ), ending="")
