from django import template
from django.urls import reverse

from ..platform_login import PLATFORM_NAMES
from ..providers.config import configured_platforms

register = template.Library()


@register.inclusion_tag("accounts/tags/platform_login_buttons.html", takes_context=True)
def platform_login_buttons(context):
    """The login page's WeCom / DingTalk buttons, one per configured platform; each carries
    the page's `next` on."""
    return {
        "buttons": [
            {
                "platform": platform.value,
                "name": PLATFORM_NAMES[platform],
                "url": reverse(f"{platform.value}_login"),
            }
            for platform in configured_platforms()
        ],
        "next": context.get("next", ""),
        "csrf_token": context.get("csrf_token"),
    }
