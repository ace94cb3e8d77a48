"""DingTalk (钉钉) server API: the application's access token, work notices (工作通知), and the
company member behind a DingTalk login.

    https://open.dingtalk.com/document/orgapp/obtain-orgapp-token            gettoken
    https://open.dingtalk.com/document/orgapp/asynchronous-sending-of-enterprise-session-messages
    https://open.dingtalk.com/document/orgapp/query-a-user-by-the-union-id   getbyunionid

A DingTalk login (OAuth2 on login.dingtalk.com, django-allauth's provider) identifies a person
by `unionId`; the roster holds the company's `userid`, which getbyunionid gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import tokens
from .errors import NotConfigured, WorkChatError

NO_SUCH_USER_ERRCODES = {60121}


@dataclass(frozen=True)
class Config:
    app_key: str
    app_secret: str
    agent_id: str
    oapi_base: str

    @classmethod
    def from_settings(cls) -> Config:
        conf = settings.DINGTALK
        if not (conf["app_key"] and conf["app_secret"] and conf["agent_id"]):
            raise NotConfigured(
                "DingTalk is not configured (KEFU_DINGTALK_APP_KEY, _APP_SECRET, _AGENT_ID)"
            )
        return cls(conf["app_key"], conf["app_secret"], str(conf["agent_id"]), conf["oapi_base"])


def configured() -> bool:
    conf = settings.DINGTALK
    return bool(conf["app_key"] and conf["app_secret"] and conf["agent_id"])


class DingTalkClient(tokens.TokenClient):
    platform = "dingtalk"
    auth_path = "/gettoken"

    def __init__(self, config: Config | None = None):
        self.config = config or Config.from_settings()
        super().__init__(
            self.config.oapi_base,
            {"appkey": self.config.app_key, "appsecret": self.config.app_secret},
        )

    def _post(self, path: str, body: dict) -> dict:
        return self.call_with_token("POST", path, json=body)

    def send_work_notice(
        self, user_ids: list[str], *, title: str, markdown: str, url: str, button: str
    ) -> dict:
        """A work notice shown as an action card with one button. Returns the platform's
        answer (its `task_id` identifies the send)."""
        return self._post(
            "/topapi/message/corpconversation/asyncsend_v2",
            {
                "agent_id": int(self.config.agent_id),
                "userid_list": ",".join(user_ids),
                "msg": {
                    "msgtype": "action_card",
                    "action_card": {
                        "title": title,
                        "markdown": markdown,
                        "single_title": button,
                        "single_url": url,
                    },
                },
            },
        )

    def user_id_for_union_id(self, union_id: str) -> str | None:
        """The company member with this `unionId`; None when they are not one."""
        try:
            answer = self._post("/topapi/user/getbyunionid", {"unionid": union_id})
        except WorkChatError as error:
            if error.errcode in NO_SUCH_USER_ERRCODES:
                return None
            raise
        return (answer.get("result") or {}).get("userid") or None
