"""The workflow a certificate design with a seal goes through before it goes live: one
second-person approval by the certification approvers (staff.roles.CERTIFICATION_APPROVER),
assigned to certificate designs. Existing designs stay live as they were."""

from django.db import migrations

WORKFLOW_NAME = "证书设计审批"
TASK_NAME = "第二人审批"
APPROVER_GROUP = "certification_approver"  # staff.roles.CERTIFICATION_APPROVER


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ApprovalTask = apps.get_model("certification", "SecondPersonApprovalTask")

    design_type, _ = ContentType.objects.get_or_create(
        app_label="certification", model="certificatedesign"
    )
    if WorkflowContentType.objects.filter(content_type=design_type).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="certification", model="secondpersonapprovaltask"
    )
    approvers, _ = Group.objects.get_or_create(name=APPROVER_GROUP)
    task = ApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(approvers)
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(content_type=design_type, workflow=workflow)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    ApprovalTask = apps.get_model("certification", "SecondPersonApprovalTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    ApprovalTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_design_and_program_revisions"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
