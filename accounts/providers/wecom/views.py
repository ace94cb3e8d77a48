"""The WeCom login's two pages: starting (a redirect to WeCom) and WeCom's redirect back.

    https://developer.work.weixin.qq.com/document/path/98151  QR-code login (a browser)
    https://developer.work.weixin.qq.com/document/path/91022  OAuth2 inside the WeCom app

Outside the WeCom app the person scans a QR code on WeCom's login page with their phone;
inside it, WeCom's OAuth2 page signs the app's member in without a question. Both come back
with `code` and our `state`.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter
from allauth.utils import get_request_param
from django.conf import settings
from django.utils.http import urlencode

from workchat.wecom import WeComClient

from ...platforms import in_wecom_app
from ..errors import CodeRejected, platform_call
from ..views import callback_view, login_view


def _in_app(request) -> bool:
    return in_wecom_app(request.headers.get("User-Agent", ""))


class WeComOAuth2Client(OAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        conf = settings.WECOM
        # In the parameters' documented order.
        if _in_app(self.request):
            params = {
                "appid": self.consumer_key,
                "redirect_uri": self.callback_url,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": self.state,
                "agentid": conf["agent_id"],
            }
            return f"{authorization_url}?{urlencode(params)}#wechat_redirect"
        params = {
            "login_type": "CorpApp",
            "appid": self.consumer_key,
            "agentid": conf["agent_id"],
            "redirect_uri": self.callback_url,
            "state": self.state,
        }
        return f"{authorization_url}?{urlencode(params)}"


class WeComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wecom"
    client_class = WeComOAuth2Client
    access_token_url = ""  # no token exchange: see get_access_token_data

    @property
    def authorize_url(self) -> str:
        conf = settings.WECOM
        if _in_app(self.request):
            return conf["oauth_base"].rstrip("/") + "/connect/oauth2/authorize"
        return conf["login_base"].rstrip("/") + "/wwlogin/sso/login"

    def get_access_token_data(self, request, app, client, pkce_code_verifier=None) -> dict:
        code = get_request_param(request, "code")
        if not code:
            raise CodeRejected("no code")
        with platform_call():
            userid = WeComClient().user_id_for_code(code)
        return {"access_token": "", "userid": userid}

    def parse_token(self, data: dict) -> SocialToken:
        return SocialToken(token="")  # WeCom gives the member, not a token of theirs

    def complete_login(self, request, app, token, **kwargs):
        userid = kwargs["response"]["userid"]
        return self.get_provider().sociallogin_from_response(request, {"userid": userid})


oauth2_login = login_view(WeComOAuth2Adapter)
oauth2_callback = callback_view(WeComOAuth2Adapter)
