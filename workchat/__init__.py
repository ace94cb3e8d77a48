"""Clients for the work-chat platforms staff actually use, WeCom (企业微信) and DingTalk (钉钉):
access tokens cached until they expire, application messages, and who a login code belongs
to; and for text messages through Tencent Cloud SMS (`sms`). Every base URL and credential
comes from settings (`WECOM`, `DINGTALK`, `SMS`), so the tests and the demo talk to a fake
server on 127.0.0.1 (tests/fakes/workchat.py) that answers the same JSON as the platforms'
documented APIs."""
