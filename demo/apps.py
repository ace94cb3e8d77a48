from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content (YAML files in content/) and the seed_demo command that loads it."""

    name = "demo"
    verbose_name = "Demo content"
