"""Read by django-allauth's provider registry, which looks for `<app>.provider` in every
installed app: the WeCom and DingTalk providers live in `accounts.providers`."""

from .providers.dingtalk.provider import DingTalkProvider
from .providers.wecom.provider import WeComProvider

provider_classes = [WeComProvider, DingTalkProvider]
