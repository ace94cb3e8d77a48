from django import template

register = template.Library()


@register.inclusion_tag("practice/tags/summary.html")
def practice_summary(user):
    """The learner home's practice line: cards due today and the streak. Six queries."""
    from ..selectors import summary_for

    return {"summary": summary_for(user)}
