"""A fake WeCom (企业微信) and DingTalk (钉钉) on one port: the endpoints this platform calls,
answering the JSON their documentation gives, with the state a test needs to look at.

    with FakeWorkChat() as fake:
        settings.WECOM, settings.DINGTALK = fake.wecom_settings(), fake.dingtalk_settings()
        ...
        fake.messages        # what was delivered, platform by platform
        fake.tokens_issued   # how many access tokens each platform handed out
        fake.fail_next("/cgi-bin/message/send", errcode=-1)   # the next send fails

WeCom: /cgi-bin/gettoken, /cgi-bin/message/send (textcard), /cgi-bin/auth/getuserinfo, and the
two login pages: /connect/oauth2/authorize (inside the WeCom app: silent, as the member
`signed_in["wecom"]`) and /wwlogin/sso/login (a browser: a page where the tester types who
scans the QR code). DingTalk: /gettoken, /topapi/message/corpconversation/asyncsend_v2,
/topapi/user/getbyunionid, and the OAuth2 login: /oauth2/auth (a page as for WeCom),
/v1.0/oauth2/userAccessToken, /v1.0/contact/users/me. A DingTalk member `u` has the unionId
`union-u` and the openId `open-u`. Anyone is a member of both companies except `outsiders`.
Tencent Cloud SMS: SendSms (API 2021-01-11, POST / with `X-TC-Action`), its TC3-HMAC-SHA256
signature checked as Tencent does, so the real SDK (workchat/sms.py) talks to it over http.

WeCom's duplicate check is kept: a message sent with `enable_duplicate_check` whose request
JSON equals one sent within `duplicate_check_interval` seconds is answered "ok" and reaches
nobody (counted in `duplicates_dropped`). `fail_next(path, drop_answer=True)` delivers the
next message but closes the connection before answering, as a lost answer does.

Run on its own for the demo: `python -m tests.fakes.workchat --port 8790` prints the settings
(`--wecom-app-member USERID`: who the in-app WeCom login signs in).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

WECOM_CORP_ID = "ww-fake-corp"
WECOM_AGENT_ID = "1000002"
WECOM_SECRET = "fake-wecom-secret"
DINGTALK_APP_KEY = "ding-fake-key"
DINGTALK_APP_SECRET = "fake-dingtalk-secret"
DINGTALK_AGENT_ID = "2000003"
SMS_SECRET_ID = "fake-sms-secret-id"
SMS_SECRET_KEY = "fake-sms-secret-key"
SMS_SDK_APP_ID = "1400000001"
SMS_SIGN_NAME = "客服学院"
SMS_TEMPLATES = {
    "learner_reminder": "100001",
    "supervisor_digest": "100002",
    "reset_code": "100003",
}
SMS_PATH = "/"  # Tencent Cloud APIs are one POST / with the action in a header
DROP_ANSWER = 0  # a status of `handle` meaning: close the connection without an answer


@dataclass
class Failure:
    path: str
    status: int = 200
    errcode: int | str = 0
    errmsg: str = ""
    drop_answer: bool = False


@dataclass
class FakeWorkChat:
    token_seconds: int = 7200
    outsiders: set[str] = field(default_factory=set)
    signed_in: dict[str, str | None] = field(
        default_factory=lambda: {"wecom": None, "dingtalk": None}
    )
    messages: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    tokens_issued: dict[str, int] = field(default_factory=lambda: {"wecom": 0, "dingtalk": 0})
    duplicates_dropped: int = 0
    echo: bool = False  # print each message delivered, as one JSON line (the demo)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}  # token -> (platform, expires at)
        self._codes: dict[str, tuple[str, str]] = {}  # login code -> (platform, userid)
        self._user_tokens: dict[str, str] = {}  # DingTalk user access token -> userid
        self._failures: list[Failure] = []
        self._recent: dict[str, tuple[str, float]] = {}  # WeCom request JSON -> (msgid, at)
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # --- running ---------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeWorkChat:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        # A short poll: stop() waits up to one interval, after every test that used the fake.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeWorkChat:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def wecom_settings(self) -> dict:
        return {
            "corp_id": WECOM_CORP_ID,
            "agent_id": WECOM_AGENT_ID,
            "secret": WECOM_SECRET,
            "api_base": self.url,
            "login_base": self.url,
            "oauth_base": self.url,
        }

    def dingtalk_settings(self) -> dict:
        return {
            "app_key": DINGTALK_APP_KEY,
            "app_secret": DINGTALK_APP_SECRET,
            "agent_id": DINGTALK_AGENT_ID,
            "oapi_base": self.url,
            "api_base": self.url,
            "login_base": self.url,
        }

    def sms_settings(self) -> dict:
        return {
            "secret_id": SMS_SECRET_ID,
            "secret_key": SMS_SECRET_KEY,
            "sdk_app_id": SMS_SDK_APP_ID,
            "sign_name": SMS_SIGN_NAME,
            "region": "ap-guangzhou",
            "api_base": self.url,
            "templates": dict(SMS_TEMPLATES),
        }

    def environment(self) -> dict[str, str]:
        """The same, as the KEFU_* variables site/settings.py reads."""
        env = {}
        for platform, conf in (
            ("WECOM", self.wecom_settings()),
            ("DINGTALK", self.dingtalk_settings()),
            ("SMS", self.sms_settings()),
        ):
            for key, value in conf.items():
                if key == "templates":
                    for template, template_id in value.items():
                        env[f"KEFU_SMS_TEMPLATE_{template.upper()}"] = template_id
                else:
                    env[f"KEFU_{platform}_{key.upper()}"] = value
        return env

    # --- what a test arranges -----------------------------------------------------------------

    def fail_next(
        self,
        path: str,
        *,
        status: int = 200,
        errcode: int | str = 0,
        errmsg: str = "",
        drop_answer: bool = False,
        times: int = 1,
    ):
        """The next `times` calls to `path` fail: with an HTTP `status`, or with the platform's
        `errcode` (e.g. -1, "system busy"; for SMS_PATH Tencent's string code) in an HTTP 200
        answer, or (`drop_answer`) succeed but lose their answer on the way back."""
        with self._lock:
            self._failures.extend(
                Failure(path, status, errcode, errmsg or "system busy", drop_answer)
                for _ in range(times)
            )

    def expire_tokens(self) -> None:
        """Every access token handed out so far lapses (the platform answers 42001)."""
        with self._lock:
            self._tokens = {t: (p, 0.0) for t, (p, _) in self._tokens.items()}

    def code_for(self, platform: str, userid: str) -> str:
        """A login code for `userid`, as the platform's login page would redirect with."""
        code = f"{platform}-code-{next(self._ids)}"
        with self._lock:
            self._codes[code] = (platform, userid)
        return code

    def messages_to(self, userid: str, platform: str | None = None) -> list[dict]:
        return [
            m
            for m in self.messages
            if userid in m["to"] and (platform is None or m["platform"] == platform)
        ]

    # --- the platforms' behaviour ---------------------------------------------------------------

    def _deliver(self, message: dict) -> None:
        self.messages.append(message)
        if self.echo:
            print(json.dumps(message, ensure_ascii=False), flush=True)

    def _take_failure(self, path: str) -> Failure | None:
        with self._lock:
            for i, failure in enumerate(self._failures):
                if failure.path == path:
                    return self._failures.pop(i)
        return None

    def _issue_token(self, platform: str) -> dict:
        token = f"{platform}-token-{next(self._ids)}"
        with self._lock:
            self._tokens[token] = (platform, time.monotonic() + self.token_seconds)
            self.tokens_issued[platform] += 1
        return {
            "errcode": 0,
            "errmsg": "ok",
            "access_token": token,
            "expires_in": self.token_seconds,
        }

    def _token_problem(self, platform: str, token: str | None) -> dict | None:
        with self._lock:
            found = self._tokens.get(token or "")
        if found is None or found[0] != platform:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if found[1] < time.monotonic():
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def _take_code(self, platform: str, code: str | None) -> str | None:
        with self._lock:
            found = self._codes.pop(code or "", None)  # a code works once
        if found is None or found[0] != platform:
            return None
        return found[1]

    def handle(
        self, method: str, path: str, query: dict, body: dict, headers, raw: bytes = b""
    ) -> tuple[int, dict | str, dict]:
        """(status, JSON answer or HTML page, extra headers) for one request; status
        DROP_ANSWER: close the connection without answering."""
        self.requests.append({"method": method, "path": path, "query": query, "body": body})
        route = ROUTES.get((method, path))
        failure = self._take_failure(path)
        if failure is not None and failure.drop_answer and route is not None:
            route(self, query, body, headers | {"raw-body": raw})
            return DROP_ANSWER, "", {}
        if failure is not None:
            if failure.status != 200:
                return failure.status, {"errmsg": "injected failure"}, {}
            if path == SMS_PATH:
                return 200, _tencent_error(str(failure.errcode), failure.errmsg), {}
            return 200, {"errcode": failure.errcode, "errmsg": failure.errmsg}, {}
        if route is None:
            return 404, {"errcode": 404, "errmsg": f"no such endpoint {method} {path}"}, {}
        return route(self, query, body, headers | {"raw-body": raw})

    # WeCom -------------------------------------------------------------------------------------

    def wecom_gettoken(self, query, body, headers):
        if query.get("corpid") != WECOM_CORP_ID or query.get("corpsecret") != WECOM_SECRET:
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}, {}
        return 200, self._issue_token("wecom"), {}

    def wecom_send(self, query, body, headers):
        problem = self._token_problem("wecom", query.get("access_token"))
        if problem:
            return 200, problem, {}
        card = body.get("textcard") or {}
        if (
            body.get("msgtype") != "textcard"
            or str(body.get("agentid")) != WECOM_AGENT_ID
            or not body.get("touser")
            or not all(card.get(k) for k in ("title", "description", "url"))
        ):
            return 200, {"errcode": 40008, "errmsg": "invalid message type or content"}, {}
        to = body["touser"].split("|")
        invalid = [u for u in to if u in self.outsiders]
        delivered = [u for u in to if u not in self.outsiders]
        if not delivered:
            return 200, {"errcode": 81013, "errmsg": "user & party & tag all invalid"}, {}
        same = json.dumps(body, sort_keys=True, ensure_ascii=False)
        if body.get("enable_duplicate_check") == 1:
            interval = int(body.get("duplicate_check_interval") or 1800)
            with self._lock:
                earlier = self._recent.get(same)
                if earlier is not None and time.monotonic() - earlier[1] < interval:
                    self.duplicates_dropped += 1
                    answer = {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": earlier[0]}
                    return 200, answer, {}
        msgid = f"wecom-msg-{next(self._ids)}"
        with self._lock:
            self._recent[same] = (msgid, time.monotonic())
        self._deliver(
            {
                "platform": "wecom",
                "id": msgid,
                "to": delivered,
                "title": card["title"],
                "text": card["description"],
                "url": card["url"],
                "button": card.get("btntxt", ""),
            }
        )
        return (
            200,
            {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": msgid},
            {},
        )

    def wecom_getuserinfo(self, query, body, headers):
        problem = self._token_problem("wecom", query.get("access_token"))
        if problem:
            return 200, problem, {}
        userid = self._take_code("wecom", query.get("code"))
        if userid is None:
            return 200, {"errcode": 40029, "errmsg": "invalid code"}, {}
        if userid in self.outsiders:
            return 200, {"errcode": 0, "errmsg": "ok", "openid": f"open-{userid}"}, {}
        return 200, {"errcode": 0, "errmsg": "ok", "userid": userid}, {}

    def wecom_inapp_authorize(self, query, body, headers):
        # Inside the WeCom app nobody is asked anything: the app's member is redirected back.
        if query.get("appid") != WECOM_CORP_ID or not query.get("redirect_uri"):
            return 400, "<p>invalid appid or redirect_uri</p>", {}
        userid = self.signed_in.get("wecom")
        if not userid:
            return 400, "<p>not signed in to the fake WeCom app</p>", {}
        return _redirect(
            query["redirect_uri"], code=self.code_for("wecom", userid), state=query.get("state", "")
        )

    def wecom_qr_login(self, query, body, headers):
        if query.get("appid") != WECOM_CORP_ID or not query.get("redirect_uri"):
            return 400, "<p>invalid appid or redirect_uri</p>", {}
        return (
            200,
            _login_page("企业微信（模拟）扫码登录", "/wwlogin/sso/confirm", query, "wecom"),
            {},
        )

    def wecom_qr_confirm(self, query, body, headers):
        userid = query.get("userid", "").strip()
        return _redirect(
            query["redirect_uri"], code=self.code_for("wecom", userid), state=query.get("state", "")
        )

    # DingTalk ----------------------------------------------------------------------------------

    def dingtalk_gettoken(self, query, body, headers):
        if query.get("appkey") != DINGTALK_APP_KEY or query.get("appsecret") != DINGTALK_APP_SECRET:
            return 200, {"errcode": 40089, "errmsg": "invalid appkey or appsecret"}, {}
        return 200, self._issue_token("dingtalk"), {}

    def dingtalk_send(self, query, body, headers):
        problem = self._token_problem("dingtalk", query.get("access_token"))
        if problem:
            return 200, problem, {}
        msg = body.get("msg") or {}
        card = msg.get("action_card") or {}
        if (
            str(body.get("agent_id")) != DINGTALK_AGENT_ID
            or not body.get("userid_list")
            or msg.get("msgtype") != "action_card"
            or not all(card.get(k) for k in ("title", "markdown", "single_title", "single_url"))
        ):
            return 200, {"errcode": 40035, "errmsg": "invalid parameter"}, {}
        task_id = next(self._ids)
        to = [u for u in body["userid_list"].split(",") if u not in self.outsiders]
        self._deliver(
            {
                "platform": "dingtalk",
                "id": task_id,
                "to": to,
                "title": card["title"],
                "text": card["markdown"],
                "url": card["single_url"],
                "button": card["single_title"],
            }
        )
        return (
            200,
            {"errcode": 0, "errmsg": "ok", "task_id": task_id, "request_id": f"req-{task_id}"},
            {},
        )

    def dingtalk_getbyunionid(self, query, body, headers):
        problem = self._token_problem("dingtalk", query.get("access_token"))
        if problem:
            return 200, problem, {}
        unionid = body.get("unionid", "")
        userid = unionid.removeprefix("union-")
        if not unionid.startswith("union-") or userid in self.outsiders:
            return 200, {"errcode": 60121, "errmsg": "找不到该用户"}, {}
        return (
            200,
            {"errcode": 0, "errmsg": "ok", "result": {"contact_type": 0, "userid": userid}},
            {},
        )

    def dingtalk_authorize(self, query, body, headers):
        if query.get("client_id") != DINGTALK_APP_KEY or not query.get("redirect_uri"):
            return 400, "<p>invalid client_id or redirect_uri</p>", {}
        userid = self.signed_in.get("dingtalk")
        if userid:  # the DingTalk app itself: no question asked
            return _redirect(
                query["redirect_uri"],
                authCode=self.code_for("dingtalk", userid),
                state=query.get("state", ""),
            )
        return 200, _login_page("钉钉（模拟）扫码登录", "/oauth2/confirm", query, "dingtalk"), {}

    def dingtalk_confirm(self, query, body, headers):
        userid = query.get("userid", "").strip()
        return _redirect(
            query["redirect_uri"],
            authCode=self.code_for("dingtalk", userid),
            state=query.get("state", ""),
        )

    def dingtalk_user_access_token(self, query, body, headers):
        if (
            body.get("clientId") != DINGTALK_APP_KEY
            or body.get("clientSecret") != DINGTALK_APP_SECRET
        ):
            return 400, {"code": "invalidClientId", "message": "invalid client"}, {}
        userid = self._take_code("dingtalk", body.get("code"))
        if userid is None or body.get("grantType") != "authorization_code":
            return 400, {"code": "invalidAuthCode", "message": "invalid or used code"}, {}
        token = f"dingtalk-user-{next(self._ids)}"
        with self._lock:
            self._user_tokens[token] = userid
        return 200, {"accessToken": token, "refreshToken": f"refresh-{token}", "expireIn": 7200}, {}

    def dingtalk_me(self, query, body, headers):
        with self._lock:
            userid = self._user_tokens.get(headers.get("x-acs-dingtalk-access-token", ""))
        if userid is None:
            return 401, {"code": "InvalidAuthentication", "message": "invalid token"}, {}
        return (
            200,
            {
                "nick": userid,
                "unionId": f"union-{userid}",
                "openId": f"open-{userid}",
                "stateCode": "86",
            },
            {},
        )

    # Tencent Cloud SMS ------------------------------------------------------------------------

    def tencent_api(self, query, body, headers):
        problem = _tc3_problem(headers, SMS_SECRET_ID, SMS_SECRET_KEY)
        if problem:
            return 200, _tencent_error(*problem), {}
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return 200, _tencent_error("InvalidAction", "no such action"), {}
        numbers = body.get("PhoneNumberSet") or []
        if (
            body.get("SmsSdkAppId") != SMS_SDK_APP_ID
            or body.get("SignName") != SMS_SIGN_NAME
            or body.get("TemplateId") not in SMS_TEMPLATES.values()
            or not numbers
        ):
            return 200, _tencent_error("InvalidParameterValue", "app, sign or template"), {}
        statuses = []
        for number in numbers:
            serial = f"sms-{next(self._ids)}"
            mobile = number.removeprefix("+86")
            self._deliver(
                {
                    "platform": "sms",
                    "id": serial,
                    "to": [mobile],
                    "template": body["TemplateId"],
                    "params": list(body.get("TemplateParamSet") or []),
                    "sign": body["SignName"],
                }
            )
            statuses.append(
                {
                    "SerialNo": serial,
                    "PhoneNumber": number,
                    "Fee": 1,
                    "SessionContext": "",
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            )
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": _request_id()}}, {}


def _request_id() -> str:
    return hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:32]


def _tencent_error(code: str, message: str) -> dict:
    return {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": _request_id()}}


def _tc3_problem(headers: dict, secret_id: str, secret_key: str) -> tuple[str, str] | None:
    """Why a Tencent Cloud request's TC3-HMAC-SHA256 signature is wrong, or None.
    https://cloud.tencent.com/document/api/382/52072 (signature v3)"""
    auth = headers.get("authorization", "")
    try:
        scheme, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        sender, day, service, _ = parts["Credential"].split("/")
    except ValueError:
        return "AuthFailure.SignatureFailure", "malformed Authorization"
    if scheme != "TC3-HMAC-SHA256" or sender != secret_id:
        return "AuthFailure.SecretIdNotFound", "unknown SecretId"
    signed = parts.get("SignedHeaders", "").split(";")
    canonical_headers = "".join(f"{name}:{headers.get(name, '')}\n" for name in signed)
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(headers.get("raw-body", b"")).hexdigest(),
        ]
    )
    to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            headers.get("x-tc-timestamp", ""),
            f"{day}/{service}/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )

    def sign(key: bytes, text: str) -> bytes:
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    key = sign(sign(sign(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get("Signature", "")):
        return "AuthFailure.SignatureFailure", "signature mismatch"
    return None


ROUTES = {
    ("POST", SMS_PATH): FakeWorkChat.tencent_api,
    ("GET", "/cgi-bin/gettoken"): FakeWorkChat.wecom_gettoken,
    ("POST", "/cgi-bin/message/send"): FakeWorkChat.wecom_send,
    ("GET", "/cgi-bin/auth/getuserinfo"): FakeWorkChat.wecom_getuserinfo,
    ("GET", "/connect/oauth2/authorize"): FakeWorkChat.wecom_inapp_authorize,
    ("GET", "/wwlogin/sso/login"): FakeWorkChat.wecom_qr_login,
    ("GET", "/wwlogin/sso/confirm"): FakeWorkChat.wecom_qr_confirm,
    ("GET", "/gettoken"): FakeWorkChat.dingtalk_gettoken,
    ("POST", "/topapi/message/corpconversation/asyncsend_v2"): FakeWorkChat.dingtalk_send,
    ("POST", "/topapi/user/getbyunionid"): FakeWorkChat.dingtalk_getbyunionid,
    ("GET", "/oauth2/auth"): FakeWorkChat.dingtalk_authorize,
    ("GET", "/oauth2/confirm"): FakeWorkChat.dingtalk_confirm,
    ("POST", "/v1.0/oauth2/userAccessToken"): FakeWorkChat.dingtalk_user_access_token,
    ("GET", "/v1.0/contact/users/me"): FakeWorkChat.dingtalk_me,
}


def _redirect(target: str, **params) -> tuple[int, str, dict]:
    separator = "&" if "?" in target else "?"
    return 302, "", {"Location": target + separator + urlencode(params)}


def _login_page(title: str, action: str, query: dict, platform: str) -> str:
    """Stands for the QR code a person scans with the app: the tester types who scans it."""
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in query.items()
    )
    return (
        f"<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1>"
        f'<form method="get" action="{action}">{hidden}'
        f'<label>成员账号 userid <input name="userid" id="fake-{platform}-userid"></label>'
        '<button type="submit">确认登录</button></form>'
    )


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeWorkChat

    def _serve(self, method: str) -> None:
        parsed = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        body, raw = {}, b""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._answer(400, {"errcode": 47001, "errmsg": "data format error"}, {})
                return
        status, answer, extra = self.server_fake.handle(
            method,
            parsed.path,
            query,
            body,
            {k.lower(): v for k, v in self.headers.items()},
            raw,
        )
        if status == DROP_ANSWER:
            self.close_connection = True
            return
        self._answer(status, answer, extra)

    def _answer(self, status: int, answer: dict | str, extra: dict) -> None:
        if isinstance(answer, str):
            payload, content_type = answer.encode(), "text/html; charset=utf-8"
        else:
            payload, content_type = (
                json.dumps(answer, ensure_ascii=False).encode(),
                "application/json",
            )
        self.send_response(status)
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def log_message(self, format, *args) -> None:  # quiet: the tests read `requests` instead
        pass


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument(
        "--wecom-app-member",
        metavar="USERID",
        help="who is signed in to the (fake) WeCom app: its in-app login signs them in",
    )
    args = parser.parse_args()
    fake = FakeWorkChat(echo=True).start(args.port)
    fake.signed_in["wecom"] = args.wecom_app_member
    for key, value in fake.environment().items():
        print(f"export {key}={value}")
    print(
        f"# fake WeCom, DingTalk and SMS at {fake.url}; messages are printed as they arrive",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
