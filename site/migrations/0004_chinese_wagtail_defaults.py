"""Wagtail's migrations create records whose names are data, not translatable strings: the
root page and root collection ("Root") and the default moderation workflow and its task
("Moderators approval"). A trainer sees them as 浏览: Root and 提交给Moderators approval, so
they get Chinese names here (only while they still carry Wagtail's English defaults)."""

from django.db import migrations

RENAMES = {
    # (model, field): (Wagtail's default, ours)
    ("wagtailcore.Page", "title"): ("Root", "根目录"),
    ("wagtailcore.Page", "draft_title"): ("Root", "根目录"),
    ("wagtailcore.Collection", "name"): ("Root", "根目录"),
    ("wagtailcore.Workflow", "name"): ("Moderators approval", "审核员审批"),
    ("wagtailcore.Task", "name"): ("Moderators approval", "审核员审批"),
}


def _rename(apps, backwards: bool):
    for (model_name, field), (default, chinese) in RENAMES.items():
        old, new = (chinese, default) if backwards else (default, chinese)
        model = apps.get_model(model_name)
        queryset = model.objects.filter(**{field: old})
        if model_name == "wagtailcore.Page" or model_name == "wagtailcore.Collection":
            queryset = queryset.filter(depth=1)
        queryset.update(**{field: new})


def forwards(apps, schema_editor):
    _rename(apps, backwards=False)


def backwards(apps, schema_editor):
    _rename(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0003_scheduled_run"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
