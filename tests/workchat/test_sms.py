"""Text messages through Tencent's own SDK against the fake Tencent Cloud SMS: the request is
signed (the fake checks the TC3 signature as Tencent does), a refusal carries Tencent's code,
and a lost answer is told apart from a connection that was never made."""

import pytest

from tests.fakes.workchat import SMS_PATH, SMS_TEMPLATES
from workchat import sms
from workchat.errors import NotConfigured, WorkChatError


def test_a_template_message_reaches_the_number(workchat):
    answer = sms.SmsClient().send(
        "13800000001", template_id=SMS_TEMPLATES["reset_code"], params=["K7QM2XPA", "15"]
    )
    [sent] = workchat.messages
    assert sent["to"] == ["13800000001"] and sent["params"] == ["K7QM2XPA", "15"]
    assert sent["sign"] == "客服学院" and answer["serial_no"] == sent["id"]
    assert answer["code"] == "Ok"


def test_a_wrong_secret_is_refused_by_the_signature_check(workchat, settings):
    settings.SMS = {**settings.SMS, "secret_key": "not-the-key"}
    with pytest.raises(WorkChatError) as raised:
        sms.SmsClient().send("13800000001", template_id="100001", params=["a", "1", "2026-01-01"])
    assert raised.value.errcode == "AuthFailure.SignatureFailure"
    assert workchat.messages == []


def test_a_refusal_carries_tencents_code_and_a_lost_answer_may_have_arrived(workchat, settings):
    client = sms.SmsClient()
    workchat.fail_next(SMS_PATH, errcode="LimitExceeded.PhoneNumberDailyLimit")
    with pytest.raises(WorkChatError) as raised:
        client.send("13800000001", template_id="100001", params=["a", "1", "2026-01-01"])
    assert raised.value.errcode == "LimitExceeded.PhoneNumberDailyLimit"
    assert raised.value.maybe_delivered is False

    workchat.fail_next(SMS_PATH, drop_answer=True)
    with pytest.raises(WorkChatError) as raised:
        client.send("13800000001", template_id="100001", params=["a", "1", "2026-01-01"])
    assert raised.value.maybe_delivered is True and len(workchat.messages) == 1

    settings.SMS = {**settings.SMS, "api_base": "http://127.0.0.1:9"}
    with pytest.raises(WorkChatError) as raised:
        sms.SmsClient().send("13800000001", template_id="100001", params=["a", "1", "2026-01-01"])
    assert raised.value.maybe_delivered is False


def test_sms_is_off_until_configured(settings):
    settings.SMS = {**settings.SMS, "secret_id": ""}
    assert not sms.configured()
    with pytest.raises(NotConfigured):
        sms.SmsClient()
