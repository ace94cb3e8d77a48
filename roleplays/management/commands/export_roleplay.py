"""python manage.py export_roleplay SLUG > story.twee"""

from django.core.management.base import BaseCommand, CommandError

from roleplays.models import Scenario
from roleplays.services import scenario_export_twee


class Command(BaseCommand):
    help = "Write a role-play scenario as a Twee 3 story (opens in Twine 2) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        scenario = Scenario.objects.filter(slug=slug).first()
        if scenario is None:
            raise CommandError(f"No scenario with the slug {slug!r}.")
        self.stdout.write(scenario_export_twee(scenario=scenario), ending="")
