"""Which browser is the WeCom app (pure)."""

import pytest

from accounts.platforms import in_chat_app, in_wecom_app

WECOM_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/109.0.5414.86 MQQBrowser/6.2 TBS/047601 Mobile Safari/537.36 "
    "wxwork/4.1.22 ColorScheme/Light MicroMessenger/7.0.1 NetType/WIFI Language/zh Lang/zh"
)
WECOM_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/81.0.4044.138 Safari/537.36 wxwork/4.1.20 (MicroMessenger/6.2) WindowsWechat"
)
WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Mobile/15E148 MicroMessenger/8.0.43(0x18002b2c) NetType/WIFI Language/zh_CN"
)
DINGTALK = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Mobile Safari/537.36 DingTalk/7.5.0"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36"


@pytest.mark.parametrize(
    ("user_agent", "inside"),
    [
        (WECOM_ANDROID, True),
        (WECOM_WINDOWS, True),
        (WECHAT, False),  # WeChat is not WeCom: its users are not company members
        (DINGTALK, False),
        (CHROME, False),
        ("", False),
    ],
)
def test_the_wecom_app_is_told_by_its_user_agent(user_agent, inside):
    assert in_wecom_app(user_agent) is inside


@pytest.mark.parametrize(
    ("user_agent", "inside"),
    [
        (WECOM_ANDROID, True),
        (WECOM_WINDOWS, True),
        (WECHAT, True),  # neither saves downloads
        (DINGTALK, False),
        (CHROME, False),
        ("", False),
    ],
)
def test_wechat_and_wecom_browsers_are_told_by_their_user_agent(user_agent, inside):
    assert in_chat_app(user_agent) is inside
