from django.apps import AppConfig


class AcademyConfig(AppConfig):
    """Site-wide pieces: base templates, static files, admin access rules."""

    name = "academy"
    verbose_name = "Kefu Academy"

    def ready(self):
        from . import (  # noqa: F401  (connect their signal receivers)
            login_throttle,
            permission_cache,
            worker,
        )
