"""The observation history on a person's record (`records/person_record.html`)."""

from django import template

from ..selectors import observation_history as history_of

register = template.Library()


@register.inclusion_tag("certification/tags/observation_history.html")
def observation_history(person):
    """Every on-the-job observation of `person` (a staff profile the viewer may see)."""
    return {"person": person, "history": history_of(person.user_id)}
