"""Each platform's login start and its return (`<id>_login`, `<id>_callback`: the names
allauth reverses), under /accounts/. Register the return address with the platform:
https://<host>/accounts/wecom/login/callback/ (WeCom: the application's trusted domain)
and https://<host>/accounts/dingtalk/login/callback/ (DingTalk: the redirect URL)."""

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .dingtalk.provider import DingTalkProvider
from .wecom.provider import WeComProvider

urlpatterns = [*default_urlpatterns(WeComProvider), *default_urlpatterns(DingTalkProvider)]
