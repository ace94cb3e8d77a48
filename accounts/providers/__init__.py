"""django-allauth providers for logging in with WeCom and DingTalk, every URL and credential
read from settings (`WECOM`, `DINGTALK`) so that tests and the demo use the fake server. allauth
does the OAuth2 handshake (state kept in the session, the redirect, the code's exchange);
`accounts.adapters.PlatformLoginAdapter` decides whom to sign in."""
