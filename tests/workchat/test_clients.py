"""The WeCom and DingTalk clients against the fake servers: what they send, how they keep
tokens, and how a refusal reaches the caller."""

import pytest
from django.core.cache import cache

from workchat.dingtalk import DingTalkClient
from workchat.errors import NotConfigured, WorkChatError
from workchat.wecom import WeComClient

CARD = {
    "title": "培训提醒",
    "description": "「服务礼仪」3 天后到期",
    "url": "https://kefu.example/",
    "button": "去学习",
}


def test_wecom_textcard_reaches_the_member_with_one_token_for_many_sends(workchat):
    client = WeComClient()
    client.send_textcard(["zhangsan"], **CARD)
    WeComClient().send_textcard(["lisi"], **CARD)  # another client, e.g. another worker
    assert [m["to"] for m in workchat.messages] == [["zhangsan"], ["lisi"]]
    assert workchat.messages[0]["title"] == "培训提醒"
    assert workchat.messages[0]["url"] == "https://kefu.example/"
    assert workchat.tokens_issued["wecom"] == 1


def test_a_lapsed_token_is_replaced_once_and_the_send_goes_through(workchat):
    client = WeComClient()
    client.send_textcard(["zhangsan"], **CARD)
    workchat.expire_tokens()
    client.send_textcard(["zhangsan"], **CARD)
    assert len(workchat.messages) == 2
    assert workchat.tokens_issued["wecom"] == 2


def test_a_platform_error_is_raised_with_its_code_and_nothing_is_delivered(workchat):
    workchat.fail_next("/cgi-bin/message/send", errcode=-1, errmsg="system busy")
    with pytest.raises(WorkChatError) as raised:
        WeComClient().send_textcard(["zhangsan"], **CARD)
    assert raised.value.errcode == -1
    assert workchat.messages == []


def test_an_http_failure_is_an_oserror_without_the_token_in_its_message(workchat):
    WeComClient().access_token()
    workchat.fail_next("/cgi-bin/message/send", status=502)
    with pytest.raises(OSError) as raised:
        WeComClient().send_textcard(["zhangsan"], **CARD)
    assert "502" in str(raised.value)
    assert "token" not in str(raised.value)


def test_a_message_to_nobody_in_the_company_is_a_failure(workchat):
    workchat.outsiders = {"ghost"}
    with pytest.raises(WorkChatError):
        WeComClient().send_textcard(["ghost"], **CARD)
    answer = WeComClient().send_textcard(["ghost", "zhangsan"], **CARD)
    assert answer["invaliduser"] == "ghost"
    assert workchat.messages_to("zhangsan")


def test_wrong_credentials_are_refused_and_not_cached(workchat, settings):
    settings.WECOM = {**settings.WECOM, "secret": "wrong"}
    with pytest.raises(WorkChatError) as raised:
        WeComClient().access_token()
    assert raised.value.errcode == 40001
    assert "wrong" not in str(raised.value)
    assert not [key for key in cache._cache if "workchat" in key]  # locmem's store


def test_the_cache_key_does_not_contain_the_secret(workchat):
    WeComClient().access_token()
    keys = [key for key in cache._cache if "workchat" in key]
    assert keys and not any("secret" in key for key in keys)


def test_a_login_code_names_the_member_once(workchat):
    code = workchat.code_for("wecom", "zhangsan")
    client = WeComClient()
    assert client.user_id_for_code(code) == "zhangsan"
    with pytest.raises(WorkChatError) as raised:
        client.user_id_for_code(code)
    assert raised.value.errcode == 40029


def test_a_login_code_of_someone_outside_the_company_names_nobody(workchat):
    workchat.outsiders = {"visitor"}
    assert WeComClient().user_id_for_code(workchat.code_for("wecom", "visitor")) is None


def test_not_configured_says_which_settings_are_missing(settings):
    settings.WECOM = {**settings.WECOM, "corp_id": ""}
    with pytest.raises(NotConfigured, match="KEFU_WECOM_CORP_ID"):
        WeComClient()


def test_dingtalk_work_notice_and_token_cached(workchat):
    client = DingTalkClient()
    answer = client.send_work_notice(
        ["wangwu"],
        title="培训提醒",
        markdown="**服务礼仪** 3 天后到期",
        url="https://kefu.example/",
        button="去学习",
    )
    DingTalkClient().send_work_notice(
        ["wangwu"], title="t", markdown="m", url="https://kefu.example/", button="b"
    )
    assert answer["task_id"]
    assert [m["platform"] for m in workchat.messages_to("wangwu")] == ["dingtalk", "dingtalk"]
    assert workchat.tokens_issued["dingtalk"] == 1


def test_dingtalk_union_id_to_roster_user_id(workchat):
    workchat.outsiders = {"visitor"}
    client = DingTalkClient()
    assert client.user_id_for_union_id("union-wangwu") == "wangwu"
    assert client.user_id_for_union_id("union-visitor") is None


def test_with_the_duplicate_check_wecom_delivers_a_repeated_card_once(workchat):
    client = WeComClient()
    first = client.send_textcard(["zhangsan"], **CARD, duplicate_check_seconds=3600)
    again = client.send_textcard(["zhangsan"], **CARD, duplicate_check_seconds=3600)
    assert len(workchat.messages) == 1 and workchat.duplicates_dropped == 1
    assert again["msgid"] == first["msgid"]
    client.send_textcard(["zhangsan"], **{**CARD, "title": "另一条"}, duplicate_check_seconds=3600)
    client.send_textcard(["zhangsan"], **CARD)  # without the check: delivered again
    assert len(workchat.messages) == 3
    [body] = [r["body"] for r in workchat.requests if r["path"].endswith("/send")][:1]
    assert (body["enable_duplicate_check"], body["duplicate_check_interval"]) == (1, 3600)


def test_a_lost_answer_may_have_been_delivered_a_refused_connection_was_not(workchat, settings):
    workchat.fail_next("/cgi-bin/message/send", drop_answer=True)
    with pytest.raises(WorkChatError) as raised:
        WeComClient().send_textcard(["zhangsan"], **CARD)
    assert raised.value.maybe_delivered is True
    assert len(workchat.messages) == 1  # it did arrive

    settings.WECOM = {**settings.WECOM, "api_base": "http://127.0.0.1:9"}  # nobody listens
    cache.clear()
    with pytest.raises(WorkChatError) as raised:
        WeComClient().send_textcard(["zhangsan"], **CARD)
    assert raised.value.maybe_delivered is False
