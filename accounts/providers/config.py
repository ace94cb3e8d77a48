"""Which platforms' logins are on, and their allauth "apps", from settings alone (no
SocialApp rows): a platform is on once its WECOM / DINGTALK credentials are filled in."""

from __future__ import annotations

from django.conf import settings

from workchat import dingtalk, wecom

from ..platforms import Platform


def configured_platforms() -> list[Platform]:
    """The platforms whose login is offered, in the order of the login page's buttons."""
    on = {Platform.WECOM: wecom.configured(), Platform.DINGTALK: dingtalk.configured()}
    return [platform for platform, configured in on.items() if configured]


def social_apps() -> list:
    """allauth's SocialApp for each configured platform, unsaved."""
    from allauth.socialaccount.models import SocialApp  # models load after the registry

    apps = []
    for platform in configured_platforms():
        if platform is Platform.WECOM:
            conf = settings.WECOM
            client_id, secret = conf["corp_id"], conf["secret"]
        else:
            conf = settings.DINGTALK
            client_id, secret = conf["app_key"], conf["app_secret"]
        apps.append(
            SocialApp(
                provider=platform.value, name=platform.value, client_id=client_id, secret=secret
            )
        )
    return apps
