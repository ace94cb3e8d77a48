"""WeCom (企业微信) server API: the application's access token, application messages
(`textcard`), and the member a login code belongs to.

    https://developer.work.weixin.qq.com/document/path/91039  gettoken
    https://developer.work.weixin.qq.com/document/path/90236  message/send
    https://developer.work.weixin.qq.com/document/path/91023  auth/getuserinfo
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from . import tokens
from .errors import NotConfigured, WorkChatError

# The longest interval WeCom's duplicate check (enable_duplicate_check) accepts: 4 hours.
DUPLICATE_CHECK_MAX_SECONDS = 4 * 3600


@dataclass(frozen=True)
class Config:
    corp_id: str
    agent_id: str
    secret: str
    api_base: str

    @classmethod
    def from_settings(cls) -> Config:
        conf = settings.WECOM
        if not (conf["corp_id"] and conf["agent_id"] and conf["secret"]):
            raise NotConfigured("WeCom is not configured (KEFU_WECOM_CORP_ID, _AGENT_ID, _SECRET)")
        return cls(conf["corp_id"], str(conf["agent_id"]), conf["secret"], conf["api_base"])


def configured() -> bool:
    conf = settings.WECOM
    return bool(conf["corp_id"] and conf["agent_id"] and conf["secret"])


class WeComClient(tokens.TokenClient):
    platform = "wecom"
    auth_path = "/cgi-bin/gettoken"

    def __init__(self, config: Config | None = None):
        self.config = config or Config.from_settings()
        super().__init__(
            self.config.api_base,
            {"corpid": self.config.corp_id, "corpsecret": self.config.secret},
        )

    def send_textcard(
        self,
        user_ids: list[str],
        *,
        title: str,
        description: str,
        url: str,
        button: str,
        duplicate_check_seconds: int = 0,
    ) -> dict:
        """An application message card with a link. Returns the platform's answer; raises
        WorkChatError when WeCom refused it, including when it reached none of `user_ids`
        (WeCom answers errcode 0 and lists them in `invaliduser` when only some failed).

        With `duplicate_check_seconds` (at most `DUPLICATE_CHECK_MAX_SECONDS`) WeCom delivers
        the same request again within that many seconds to nobody: a resend after a lost
        answer cannot reach anyone twice."""
        body = {
            "touser": "|".join(user_ids),
            "msgtype": "textcard",
            "agentid": int(self.config.agent_id),
            "textcard": {
                "title": title[:128],
                "description": description[:512],
                "url": url,
                "btntxt": button[:4],
            },
            "enable_duplicate_check": 1 if duplicate_check_seconds else 0,
        }
        if duplicate_check_seconds:
            body["duplicate_check_interval"] = min(
                duplicate_check_seconds, DUPLICATE_CHECK_MAX_SECONDS
            )
        answer = self.call_with_token("POST", "/cgi-bin/message/send", json=body)
        invalid = set(filter(None, answer.get("invaliduser", "").split("|")))
        if invalid and invalid >= set(user_ids):
            raise WorkChatError(
                f"no such WeCom member: {', '.join(sorted(invalid))}", answer=answer
            )
        return answer

    def user_id_for_code(self, code: str) -> str | None:
        """The member (`userid`) whose login produced `code`; None for someone outside the
        company (WeCom then answers only an `openid`)."""
        answer = self.call_with_token("GET", "/cgi-bin/auth/getuserinfo", params={"code": code})
        return answer.get("userid") or answer.get("UserId") or None
