"""Text messages (短信) through Tencent Cloud SMS, with Tencent's own SDK
(tencentcloud-sdk-python-sms: maintained by Tencent, needing nothing but `requests`).

    https://cloud.tencent.com/document/product/382/55981   SendSms (API 2021-01-11)

A text message in China must use a template approved beforehand and an approved signature
(签名): we send a template id and its parameters, never free text. The endpoint is a setting
(`SMS["api_base"]`, scheme and host) so that tests and the demo reach the fake server on
127.0.0.1 over http. A failure is a WorkChatError (an OSError) like the platforms' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from .errors import NotConfigured, WorkChatError
from .http import TIMEOUT_SECONDS, may_have_arrived


@dataclass(frozen=True)
class Config:
    secret_id: str
    secret_key: str
    sdk_app_id: str
    sign_name: str
    region: str
    api_base: str

    @classmethod
    def from_settings(cls) -> Config:
        if not configured():
            raise NotConfigured(
                "SMS is not configured (KEFU_SMS_SECRET_ID, _SECRET_KEY, _SDK_APP_ID, _SIGN_NAME)"
            )
        conf = settings.SMS
        return cls(
            conf["secret_id"],
            conf["secret_key"],
            str(conf["sdk_app_id"]),
            conf["sign_name"],
            conf["region"],
            conf["api_base"],
        )


def configured() -> bool:
    conf = settings.SMS
    return bool(
        conf["secret_id"] and conf["secret_key"] and conf["sdk_app_id"] and conf["sign_name"]
    )


def template_id(template: str) -> str:
    """The approved template for one kind of message ("" when none is set: that kind is not
    sent by SMS)."""
    return settings.SMS["templates"].get(template, "")


class SmsClient:
    def __init__(self, config: Config | None = None):
        self.config = config or Config.from_settings()
        base = urlsplit(self.config.api_base)
        profile = ClientProfile(
            httpProfile=HttpProfile(
                protocol=base.scheme or "https", endpoint=base.netloc, reqTimeout=TIMEOUT_SECONDS
            )
        )
        self._client = sms_client.SmsClient(
            credential.Credential(self.config.secret_id, self.config.secret_key),
            self.config.region,
            profile,
        )

    def send(self, mobile: str, *, template_id: str, params: list[str]) -> dict:
        """One text message to one mainland mobile number (11 digits). Returns what Tencent
        answered for it (`serial_no` identifies the send); raises WorkChatError when it was
        refused, with Tencent's error code (a string such as
        "LimitExceeded.PhoneNumberDailyLimit") as `errcode`."""
        request = models.SendSmsRequest()
        request.SmsSdkAppId = self.config.sdk_app_id
        request.SignName = self.config.sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = [str(p) for p in params]
        request.PhoneNumberSet = [f"+86{mobile}"]
        try:
            response = self._client.SendSms(request)
        except TencentCloudSDKException as error:
            cause = error.__context__
            raise WorkChatError(
                f"SMS: {error.get_code()}: {error.get_message()}"[:300],
                errcode=error.get_code() or "",
                answer={"code": error.get_code(), "request_id": error.get_request_id()},
                # The SDK wraps every network failure as ClientNetworkError; its cause says
                # whether the request may have arrived.
                maybe_delivered=error.get_code() == "ClientNetworkError"
                and (not isinstance(cause, requests.RequestException) or may_have_arrived(cause)),
            ) from error
        [status] = response.SendStatusSet or [None]
        answer = {
            "request_id": response.RequestId,
            "serial_no": getattr(status, "SerialNo", "") or "",
            "code": getattr(status, "Code", "") or "",
            "message": getattr(status, "Message", "") or "",
        }
        if answer["code"] != "Ok":
            raise WorkChatError(
                f"SMS refused: {answer['code']}: {answer['message']}",
                errcode=answer["code"],
                answer=answer,
            )
        return answer
