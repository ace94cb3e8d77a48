from datetime import timedelta

from academy.worker import requeue
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = """Put background tasks that failed every attempt back in the queue (the database
task backend), each with all its attempts again, once the cause is fixed. Lists them first;
--dry-run only lists. --running-for MINUTES also re-queues tasks a worker started that long
ago and never finished (the worker was killed, the machine went down): every task here is
idempotent, so running one twice is safe."""

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument(
            "--running-for",
            type=int,
            metavar="MINUTES",
            default=None,
            help="Also re-queue tasks still RUNNING that started at least this long ago.",
        )

    def handle(self, *args, dry_run=False, running_for=None, **options):
        tasks = DBTaskResult.objects.failed()
        if running_for is not None:
            started_before = timezone.now() - timedelta(minutes=running_for)
            tasks = tasks | DBTaskResult.objects.running().filter(started_at__lt=started_before)
        listed = list(tasks.order_by("enqueued_at"))
        for task in listed:
            error = task.exception_class_path or task.status
            self.stdout.write(f"{task.id}  {task.task_path}  {task.args_kwargs}  {error}")
        if dry_run:
            self.stdout.write(f"{len(listed)} task(s) would be re-queued.")
            return
        count = requeue(DBTaskResult.objects.filter(pk__in=[task.pk for task in listed]))
        self.stdout.write(f"Re-queued {count} task(s).")
