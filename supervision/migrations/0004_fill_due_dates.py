"""Store every person's due date in each program on their progress row (a row is made where
an assignment covers someone who has none), as `services.due_dates_update_for` keeps it from
now on. With the historical models; the rule is `coverage`'s (pure, no models)."""

from types import SimpleNamespace

from django.conf import settings
from django.db import migrations

from supervision.coverage import CoverageIndex, Person

CHUNK = 2000


def fill_due_dates(apps, schema_editor):
    Assignment = apps.get_model("supervision", "Assignment")
    ProgramProgress = apps.get_model("supervision", "ProgramProgress")
    StaffProfile = apps.get_model("staff", "StaffProfile")
    rows = Assignment.objects.values(
        "pk", "program_id", "user_id", "team_id", "site_id", "position", "due_on"
    )
    # Nothing was withdrawn before 0007 added withdrawing (coverage reads `withdrawn_at`).
    index = CoverageIndex(SimpleNamespace(**row, withdrawn_at=None) for row in rows)
    if not index:
        return
    User = apps.get_model(settings.AUTH_USER_MODEL)
    user_ids = sorted(User.objects.filter(index.people()).values_list("pk", flat=True))
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start : start + CHUNK]
        profiles = {p.user_id: p for p in StaffProfile.objects.filter(user_id__in=chunk)}
        wanted = {
            (user_id, program_id): due
            for user_id in chunk
            for program_id, due in index.due_dates(Person.of(user_id, profiles.get(user_id))).items()
        }
        ProgramProgress.objects.bulk_create(
            [
                ProgramProgress(user_id=user_id, program_id=program_id, due_on=due)
                for (user_id, program_id), due in sorted(wanted.items())
            ],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["user", "program"],
            update_fields=["due_on"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_progress_due_on"),
        ("staff", "0002_unlock_login_permission"),
    ]

    operations = [migrations.RunPython(fill_due_dates, migrations.RunPython.noop)]
