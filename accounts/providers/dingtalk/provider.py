"""DingTalk (钉钉) login: django-allauth's own provider, with its login and API hosts read
from settings instead of hard-coded (`views.DingTalkOAuth2Adapter`)."""

from __future__ import annotations

from allauth.socialaccount.providers.dingtalk.provider import (
    DingTalkProvider as AllauthDingTalkProvider,
)

from .views import DingTalkOAuth2Adapter


class DingTalkProvider(AllauthDingTalkProvider):
    oauth2_adapter_class = DingTalkOAuth2Adapter

    def get_auth_params(self) -> dict:
        # DingTalk's documentation asks for prompt=consent on its login page.
        return {"prompt": "consent", **super().get_auth_params()}


provider_classes = [DingTalkProvider]
