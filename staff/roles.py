"""The three roles, as Django groups with the permissions each one needs and no more.

Learners study; trainers author content in the Wagtail admin; supervisors see the records of
the staff in the sites and teams they supervise (the scoping itself is in `selectors`).
"""

from django.contrib.auth.models import Group, Permission

LEARNER = "learner"
TRAINER = "trainer"
SUPERVISOR = "supervisor"
# Not a role of its own: trainers (leads) who approve certificate designs with a seal, the
# group of certification's second-person approval workflow.
CERTIFICATION_APPROVER = "certification_approver"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEARNER: [
        "courses.add_lessonprogress",
    ],
    TRAINER: [
        "courses.add_lessonprogress",
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        *(
            f"quizzes.{action}_{model}"
            for model in ("question", "questioncategory", "quiz")
            for action in ("add", "change", "view")
        ),
        "quizzes.grade_attempt",
        "quizzes.view_quiz_results",
        *(
            f"roleplays.{action}_scenario"
            for action in ("add", "change", "view", "publish", "lock", "unlock")
        ),
        "roleplays.view_roleplay_analytics",
        "certification.add_program",
        "certification.change_program",
        "certification.view_program",
        "certification.view_certificate",
        "certification.reissue_certificate",
        *(
            f"certification.{action}_certificatedesign"
            for action in ("add", "change", "view", "publish", "lock", "unlock")
        ),
        "staff.unlock_login",
        "accounts.issue_activation",
        "supervision.change_assignment",  # edit, extend, withdraw anybody's assignments
    ],
    SUPERVISOR: [
        "courses.add_lessonprogress",
        "staff.view_supervised_staff",
    ],
    CERTIFICATION_APPROVER: [
        "wagtailadmin.access_admin",
        "wagtailimages.choose_image",
        *(
            f"certification.{action}_certificatedesign"
            for action in ("change", "view", "publish", "lock", "unlock")
        ),
    ],
}

# Page permissions a trainer holds on the course tree (granted on the tree's root).
TRAINER_PAGE_PERMISSIONS = [
    "wagtailcore.add_page",
    "wagtailcore.change_page",
    "wagtailcore.publish_page",
    "wagtailcore.lock_page",
    "wagtailcore.unlock_page",
]
TRAINER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_role_groups(**kwargs) -> None:
    """Create or refresh the role groups. Safe to run again (post_migrate, seed_demo)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = [p for p in map(_permission, dotted_names) if p is not None]
        group.permissions.add(*permissions)

    trainers = Group.objects.get(name=TRAINER)
    tree_root = Page.get_first_root_node()
    if tree_root is not None:
        for dotted in TRAINER_PAGE_PERMISSIONS:
            permission = _permission(dotted)
            if permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=trainers, page=tree_root, permission=permission
                )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in TRAINER_COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                permission = _permission(f"{app_label}.{codename}")
                if permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=trainers, collection=root_collection, permission=permission
                    )


def user_roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))
