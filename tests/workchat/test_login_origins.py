"""Where the login page's WeCom / DingTalk forms may lead (the CSP's form-action): the
configured platforms' login pages, and nothing while none is configured."""

from workchat.login import login_page_origins


def test_login_forms_may_lead_to_the_configured_platforms_only(settings):
    settings.WECOM = {
        "corp_id": "ww1",
        "agent_id": "1000002",
        "secret": "s",
        "api_base": "https://qyapi.weixin.qq.com",
        "login_base": "https://login.work.weixin.qq.com",
        "oauth_base": "https://open.weixin.qq.com/",
    }
    settings.DINGTALK = {**settings.DINGTALK, "app_key": ""}
    assert login_page_origins() == [
        "https://login.work.weixin.qq.com",
        "https://open.weixin.qq.com",
    ]
    settings.WECOM = {**settings.WECOM, "secret": ""}
    assert login_page_origins() == []
