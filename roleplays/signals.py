"""A published scenario becomes a new ScenarioVersion; learners' runs use versions."""

import logging

from django.dispatch import receiver
from wagtail.signals import published

from .models import Scenario

logger = logging.getLogger(__name__)


@receiver(published, sender=Scenario)
def record_published_version(sender, instance, **kwargs):
    from .services import ScenarioInvalid, scenario_publish_version

    try:
        scenario_publish_version(scenario=instance)
    except ScenarioInvalid as invalid:
        # The edit form refuses to publish a broken graph; other paths (a scheduled or
        # workflow publish) keep learners on the last good version instead.
        logger.warning(
            "Scenario %s published with problems; version not recorded: %s", instance.pk, invalid
        )
