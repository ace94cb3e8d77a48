import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import TaskResultStatus

from supervision.tasks import daily_reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = """Run the daily reminders: re-assign programs whose certificates expire within
30 days, remind learners whose assignments are overdue or due soon, and send each
supervisor a digest of their sites; each person through the first channel of
KEFU_REMINDER_CHANNELS that is configured and has their address (WeCom, DingTalk,
e-mail, SMS). Running it twice a day sends nothing twice; a failed send makes the task
fail, and the worker's retry sends only what did not go.

With the default (immediate) task backend the work runs in this process and the counts
are printed; with the database backend (DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend,
production) it is queued, and `manage.py db_worker` runs it (and retries it if it fails).
Settings: REMINDERS in site/settings.py (KEFU_REMINDERS_ENABLED,
KEFU_REMINDERS_DUE_SOON_DAYS, KEFU_REMINDERS_SUPERVISOR_DIGEST), KEFU_REMINDER_CHANNELS
and each platform's KEFU_WECOM_*, KEFU_DINGTALK_*, KEFU_SMS_* (README); e-mail goes to the
console unless DJANGO_EMAIL_BACKEND says otherwise.

Schedule it once a day on ONE machine: with systemd, deploy/kefu-reminders.timer and
deploy/kefu-reminders.service (08:00 Asia/Shanghai, caught up after a reboot); or with
cron (crontab -e of the user running the site; CRON_TZ sets the hour's time zone, "today"
is the date in TIME_ZONE; the environment file holds the production settings):

  CRON_TZ=Asia/Shanghai
  0 8 * * *  cd /srv/kefu && set -a && . /etc/kefu/kefu.env && set +a &&
             .venv/bin/python manage.py send_reminders >> reminders.log 2>&1

(one line in the crontab; split here to fit).
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep the cron line
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="Run as if today were this day (YYYY-MM-DD), for testing.",
        )

    def handle(self, *args, **options):
        day = options["date"]
        result = daily_reminders.enqueue(day=day.isoformat() if day else None)
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(
                "The reminders failed:\n" + "\n".join(error.traceback for error in result.errors)
            )
        if not result.is_finished:
            self.stdout.write(f"Queued the daily reminders (task {result.id}).")
            return
        counts = result.return_value
        self.stdout.write(
            f"Re-assigned {counts['reassigned']}, reminded {counts['learners']} learners, "
            f"sent {counts['digests']} digests"
        )
        if counts["by_channel"]:
            self.stdout.write(
                "Messages by channel: "
                + ", ".join(f"{name} {n}" for name, n in counts["by_channel"].items())
            )
        if counts["unreachable"]:
            self.stdout.write(
                f"{counts['unreachable']} people needing a reminder have no channel: "
                "their supervisors' digests and dashboards list them"
            )
