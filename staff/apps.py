from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Company, sites, teams, staff profiles and the three roles."""

    name = "staff"
    verbose_name = _("Staff and organisation")

    def ready(self):
        from .roles import ensure_role_groups

        # The role groups must exist on every database, not only after seed_demo.
        post_migrate.connect(ensure_role_groups, dispatch_uid="staff.ensure_role_groups")
