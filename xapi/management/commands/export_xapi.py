import json
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from xapi import events, services, statements


class Command(BaseCommand):
    help = (
        "Writes the xAPI statements of past learning events (same ids as live sending) "
        "to the configured LRS, or to a file with --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", help="a JSON Lines file instead of the LRS")

    def handle(self, *args, since, output=None, **options):
        day = parse_date(since)
        if day is None:
            raise CommandError(f"--since must be a date (YYYY-MM-DD), not {since!r}")
        start = timezone.make_aware(datetime.combine(day, time.min))
        if output:
            config = events.config()
            count = 0
            with open(output, "w", encoding="utf-8") as out:
                for event in events.all_events(since=start):
                    out.write(json.dumps(statements.build(event, config), ensure_ascii=False))
                    out.write("\n")
                    count += 1
            self.stdout.write(f"{count} statements written to {output}")
            return
        if not services.enabled():
            raise CommandError("KEFU_XAPI_ENDPOINT is not set: give --output to write a file")
        queued = services.outbox_queue(since=start)
        sent = services.outbox_send()
        self.stdout.write(f"{queued} statements queued, {sent} sent")
