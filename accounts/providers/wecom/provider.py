"""WeCom (企业微信) login as a django-allauth OAuth2 provider. allauth ships none: WeCom's
OAuth2 is not the usual one — the login code is not exchanged for a user token but looked
up, with the application's own access token, as the member it belongs to
(cgi-bin/auth/getuserinfo, `workchat.WeComClient.user_id_for_code`)."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import WeComOAuth2Adapter


class WeComAccount(ProviderAccount):
    def to_str(self) -> str:
        return self.account.extra_data.get("userid") or super().to_str()


class WeComProvider(OAuth2Provider):
    id = "wecom"
    name = "WeCom"
    account_class = WeComAccount
    oauth2_adapter_class = WeComOAuth2Adapter

    def extract_uid(self, data: dict) -> str:
        # allauth wants a uid; nothing is stored under it (the roster decides who logs in),
        # and someone outside the company has no userid at all.
        return data.get("userid") or "not-a-member"

    def extract_common_fields(self, data: dict) -> dict:
        return {}


provider_classes = [WeComProvider]
