from django import template

from staff.selectors import staff_profile_for

from ..selectors import competency_levels_for

register = template.Library()


@register.inclusion_tag("records/tags/my_competency_levels.html")
def my_competency_levels(user) -> dict:
    """我的能力等级: the learner's level in every competency, with a link to their record."""
    if user is None or not user.is_authenticated:
        return {"rows": [], "profile": None}
    return {"rows": competency_levels_for(user), "profile": staff_profile_for(user)}
