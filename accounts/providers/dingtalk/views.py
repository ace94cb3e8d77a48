"""The DingTalk login's pages, on allauth's DingTalk adapter with every host from settings.

    https://open.dingtalk.com/document/orgapp/tutorial-obtaining-user-personal-information

DingTalk's login answers who the person is on DingTalk (`unionId`); the roster holds the
company's `userid`, which the server API gives for a unionId of a member
(`workchat.DingTalkClient.user_id_for_union_id`). The userid joins allauth's extra data;
None means the person is not a member of the company.
"""

from __future__ import annotations

import requests
from allauth.socialaccount.providers.dingtalk.views import (
    DingTalkOAuth2Adapter as AllauthDingTalkOAuth2Adapter,
)
from django.conf import settings

from workchat.dingtalk import DingTalkClient

from ..errors import CodeRejected, PlatformUnavailable, platform_call
from ..views import callback_view, login_view


def _base(key: str) -> str:
    return settings.DINGTALK[key].rstrip("/")


class DingTalkOAuth2Adapter(AllauthDingTalkOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return _base("login_base") + "/oauth2/auth"

    @property
    def access_token_url(self) -> str:
        return _base("api_base") + "/v1.0/oauth2/userAccessToken"

    @property
    def profile_url(self) -> str:
        return _base("api_base") + "/v1.0/contact/users/me"

    def get_access_token_data(self, request, app, client, pkce_code_verifier=None) -> dict:
        try:
            return super().get_access_token_data(request, app, client, pkce_code_verifier)
        except requests.HTTPError as error:
            if error.response is not None and 400 <= error.response.status_code < 500:
                raise CodeRejected(str(error)) from error  # a made-up, expired or used code
            raise PlatformUnavailable(str(error)) from error
        except requests.RequestException as error:
            raise PlatformUnavailable(str(error)) from error

    def complete_login(self, request, app, token, **kwargs):
        try:
            sociallogin = super().complete_login(request, app, token, **kwargs)
        except requests.RequestException as error:
            raise PlatformUnavailable(str(error)) from error
        union_id = sociallogin.account.extra_data.get("unionId")
        userid = None
        if union_id:
            with platform_call():
                userid = DingTalkClient().user_id_for_union_id(union_id)
        sociallogin.account.extra_data["userid"] = userid
        return sociallogin


oauth2_login = login_view(DingTalkOAuth2Adapter)
oauth2_callback = callback_view(DingTalkOAuth2Adapter)
