"""Where the platforms' login pages are, for the Content-Security-Policy: the login page's
WeCom / DingTalk buttons are forms whose answer redirects there, and browsers hold a form's
redirects to the page's `form-action` too."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from . import dingtalk, wecom


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def login_page_origins() -> list[str]:
    """The origins of the configured platforms' login pages (none when neither is set up)."""
    urls = []
    if wecom.configured():
        urls += [settings.WECOM["login_base"], settings.WECOM["oauth_base"]]
    if dingtalk.configured():
        urls.append(settings.DINGTALK["login_base"])
    return sorted({_origin(url) for url in urls})
