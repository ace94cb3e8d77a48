import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Reminders record the channel they took, their state and the provider's answer. Rows
    written before were e-mails, recorded in the transaction that sent them: sent."""

    dependencies = [
        ("supervision", "0005_progress_profile_due_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminderlog",
            name="channel",
            field=models.CharField(default="email", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reminderlog",
            name="state",
            field=models.CharField(
                choices=[("pending", "sending"), ("sent", "sent"), ("failed", "failed")],
                default="sent",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="reminderlog",
            name="state",
            field=models.CharField(
                choices=[("pending", "sending"), ("sent", "sent"), ("failed", "failed")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="reminderlog",
            name="answer",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="reminderlog",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="reminderlog",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="reminderlog",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
