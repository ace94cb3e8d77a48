"""The work-chat platforms staff log in with, WeCom (企业微信) and DingTalk (钉钉): their
names, the roster column that holds a person's id on each, and how to tell that a page is
opened inside the WeCom app. Pure Python.

A platform login is matched to a member of staff by the user id the platform vouches for
(the roster's `wecom_userid` / `dingtalk_userid`), never by a name or an e-mail address:
names repeat among thousands of front-line staff, and an address the platform reports is
whatever the person typed there.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Platform(StrEnum):
    WECOM = "wecom"
    DINGTALK = "dingtalk"


# The roster column (staff.StaffProfile) holding a person's id on each platform.
ROSTER_FIELD = {Platform.WECOM: "wecom_userid", Platform.DINGTALK: "dingtalk_userid"}

# WeCom's in-app browser says `wxwork/<version>` in its user agent (WeChat's says only
# MicroMessenger, and must get the QR login: its users are not company members).
_WECOM_APP = re.compile(r"\bwxwork/", re.IGNORECASE)


# WeChat's and WeCom's in-app browsers: WeCom's says MicroMessenger too, and wxwork.
_CHAT_APP = re.compile(r"\bMicroMessenger/|\bwxwork/", re.IGNORECASE)


def in_wecom_app(user_agent: str) -> bool:
    """Whether the page is open inside the WeCom app, where WeCom signs the member in
    without asking (the in-app OAuth2 page) instead of showing a QR code to scan."""
    return bool(_WECOM_APP.search(user_agent or ""))


def in_chat_app(user_agent: str) -> bool:
    """Whether the page is open inside WeChat's or WeCom's own browser, which cannot save a
    download: a file is shown in place, and saving or printing it takes the system browser
    ("···" at the top right, then "open in browser")."""
    return bool(_CHAT_APP.search(user_agent or ""))
