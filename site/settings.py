"""Settings for Kefu Academy, read from environment variables.

Defaults are for local development: SQLite in the project folder, local-memory cache, media
on disk, e-mail to the console, background tasks run inline. Production sets
DJANGO_DEBUG=false ("production mode"), which makes a real DJANGO_SECRET_KEY mandatory,
switches on the HTTPS hardening `check --deploy` expects, hashed static files served by
WhiteNoise, persistent database connections and JSON logs. `scripts/serve.sh --production`
runs it on one machine; docs/DEPLOY.md on several.
"""

import os
from pathlib import Path

import dj_database_url
from academy import limits
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent  # the `site/` folder
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
PRODUCTION = not DEBUG

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "academy",
    "staff",
    "accounts",
    "quizzes",
    "roleplays",
    "certification",
    "records",
    "practice",
    "supervision",
    "api",
    "xapi",
    "ninja",  # serves the API docs page's scripts itself (no CDN on offline machines)
    "courses",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    # The WeCom and DingTalk logins' OAuth2 handshake (accounts/providers/); allauth's own
    # login, signup and account pages are not routed (accounts.adapters).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # The task queue in the database (`manage.py db_worker`); after `academy`, whose
    # db_worker command adds the worker's heartbeat.
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so that its duration and status cover everything below (academy/logs.py).
    "academy.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names and far-future cache headers, before sessions or
    # anything else touches the request (WhiteNoise; runserver serves them in development).
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "academy.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "academy.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Required by django-allauth (it keeps the request for its adapters).
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "academy.middleware.AdminAccessMiddleware",
    # Our 404 page, not Django's technical one, for all but superusers while DEBUG is on.
    "academy.middleware.FriendlyNotFoundMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "academy.context_processors.limits",
                "academy.context_processors.web_app",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database, e.g.
# postgres://postgres@127.0.0.1:5432/kefu
# Production mode keeps each worker's connection open between requests (checked before
# reuse), since opening one per request cost about a third of the capacity at 30 learners.
# Persistent connections rather than psycopg's pool: a gunicorn sync worker serves one
# request at a time, so a pool per process would hold one busy connection anyway.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT spent 20–30 ms compiling each dashboard query
    # (bench/dashboard.py) and never paid that back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # An unreachable server fails a request (and /health/) in seconds, not minutes.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (academy.login_throttle): the lockout check runs before any password is
# compared, for the staff login and the Wagtail admin login alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each user's permissions kept in the cache between requests.
    "academy.permission_cache.CachedPermissionsBackend",
]
LOGIN_THROTTLE = {
    "per_account": int(os.environ.get("KEFU_LOGIN_FAILURES_PER_ACCOUNT", "5")),
    # One service centre signs in from behind one address: allow many more per address.
    "per_client": int(os.environ.get("KEFU_LOGIN_FAILURES_PER_CLIENT", "50")),
    "minutes": int(os.environ.get("KEFU_LOGIN_LOCKOUT_MINUTES", "15")),
}
AXES_HANDLER = "academy.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "academy.login_throttle.account_limit"  # both read LOGIN_THROTTLE
AXES_COOLOFF_TIME = "academy.login_throttle.cool_off_for"
AXES_RESET_ON_SUCCESS = True  # that account's failures only (LoginThrottleHandler)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the end time shown stays true
AXES_LOCKOUT_CALLABLE = "academy.login_throttle.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]
# The client's address behind KEFU_TRUSTED_PROXIES proxies (academy.clients); failures are
# kept in the database, which every worker and app server shares.
AXES_CLIENT_IP_CALLABLE = "academy.clients.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept (per account, the latest 1,000)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "learner_home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first; English for trainers and head-office staff who prefer it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project's catalogue first (earlier paths win), then the Wagtail admin strings that
# Wagtail's own zh_Hans catalogue leaves untranslated (about 400 in Wagtail 8: "Search all
# pages…", "Save your changes before leaving", "Go to the first error", …).
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "wagtail_locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# How many proxies (nginx, a cloud load balancer) stand in front of the app servers and append
# to X-Forwarded-For; 0 means clients connect directly and the header is ignored.
KEFU_TRUSTED_PROXIES = int(os.environ.get("KEFU_TRUSTED_PROXIES", "0"))

# One cache for all workers and app servers when REDIS_URL is set (rate limits, sessions,
# the worker's heartbeat); otherwise each process keeps its own in memory (development).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kefu",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions read from the cache, written through to the database: a Redis restart signs
# nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Media on disk by default; production points this at S3-compatible storage, e.g.
# DJANGO_MEDIA_STORAGE=storages.backends.s3.S3Storage (pip install -e ".[s3]"; the AWS_*
# settings below, docs/DEPLOY.md).
# Uploaded media (lesson images, documents) are course material for signed-in staff: on the
# file system Django serves them behind a login (academy.views.media_file); S3-compatible
# storage must use signed, expiring URLs (django-storages' default querystring auth).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", not os.environ.get("DJANGO_MEDIA_STORAGE"))
FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
CERTIFICATE_STORAGE = os.environ.get("DJANGO_CERTIFICATE_STORAGE", FILE_SYSTEM_STORAGE)
if CERTIFICATE_STORAGE == FILE_SYSTEM_STORAGE:
    CERTIFICATE_OPTIONS = {
        "location": str(
            os.environ.get("DJANGO_CERTIFICATE_ROOT", BASE_DIR / "private-media" / "certificates")
        )
    }
else:  # a bucket: the PDFs under a prefix of their own, in a bucket of their own if named
    CERTIFICATE_OPTIONS = {
        "location": os.environ.get("DJANGO_CERTIFICATE_ROOT", "certificates"),
        "bucket_name": os.environ.get("KEFU_CERTIFICATE_BUCKET")
        or os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
    }
STORAGES = {
    "default": {"BACKEND": os.environ.get("DJANGO_MEDIA_STORAGE", FILE_SYSTEM_STORAGE)},
    # Production: collectstatic writes hashed names (academy.1a2b3c.css) and gzip/brotli
    # copies; WhiteNoise serves those with a ten-year, immutable Cache-Control.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Issued certificate PDFs: never public; served only through the scoped download view.
    # Production may point this at a private bucket (DJANGO_CERTIFICATE_STORAGE).
    "certificates": {"BACKEND": CERTIFICATE_STORAGE, "OPTIONS": CERTIFICATE_OPTIONS},
}
# S3-compatible object storage through django-storages (Aliyun OSS, Tencent COS, MinIO, S3).
# boto3 reads the key pair from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself. Private
# objects only: every URL is signed and expires (lesson media is for staff, PDFs are served
# through the scoped download view anyway).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
# OSS and COS answer only virtual-hosted-style requests (bucket.endpoint/key).
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "virtual")
AWS_S3_SIGNATURE_VERSION = os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4")
AWS_DEFAULT_ACL = None  # the bucket's own (private) policy
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600"))
AWS_S3_FILE_OVERWRITE = False

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "kefu-academy@localhost")

# Background work (what follows new evidence: certificates, their PDFs, competency levels,
# program progress; the daily reminders) runs inline in the request by default, as in
# development and tests. Production sets DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend:
# tasks are rows in the database and `manage.py db_worker` runs them (see academy/worker.py).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# A task that fails in the worker runs again after 30 s, 1, 2, 4 min (every task here is
# idempotent); after the last attempt it stays FAILED with its traceback until an operator
# runs `manage.py retry_failed_tasks`.
TASK_RETRY = {
    "attempts": int(os.environ.get("KEFU_TASK_ATTEMPTS", "5")),
    "first_delay_seconds": int(os.environ.get("KEFU_TASK_FIRST_RETRY_SECONDS", "30")),
}

WAGTAIL_SITE_NAME = _("Kefu Academy")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Printed on certificates and encoded in their QR codes: the public address of /verify/.
PUBLIC_BASE_URL = os.environ.get("KEFU_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
# Open Badges 3.0 credentials (certification/badges.py) are signed with Ed25519 keys: a JSON
# list of private JWKs in KEFU_BADGE_KEYS (the current key first, retired ones after it so
# what they signed still verifies), else the key file below, outside git, which is created
# with one key on first use and rotated by `manage.py badge_key --rotate`. Production keeps
# that file on persistent storage, or sets KEFU_BADGE_KEYS.
KEFU_BADGE_KEYS = os.environ.get("KEFU_BADGE_KEYS", "")
KEFU_BADGE_KEY_FILE = Path(
    os.environ.get("KEFU_BADGE_KEY_FILE", BASE_DIR / "private-media" / "badge-keys.json")
)
KEFU_BADGE_KEY_AUTOCREATE = env_bool("KEFU_BADGE_KEY_AUTOCREATE", True)
WAGTAIL_I18N_ENABLED = False
# xAPI: learning events as statements sent to a Learning Record Store (xapi/). Off unless
# KEFU_XAPI_ENDPOINT is set (the LRS's xAPI base, e.g. https://lrs.example.com/xAPI).
# The learner is an account on KEFU_XAPI_HOME_PAGE (default: the public URL) named by the
# employee number; KEFU_XAPI_ACTOR_MBOX=1 identifies them by e-mail instead.
XAPI = {
    "endpoint": os.environ.get("KEFU_XAPI_ENDPOINT", ""),
    "username": os.environ.get("KEFU_XAPI_USERNAME", ""),
    "password": os.environ.get("KEFU_XAPI_PASSWORD", ""),
    "home_page": os.environ.get("KEFU_XAPI_HOME_PAGE", ""),
    "actor_mbox": env_bool("KEFU_XAPI_ACTOR_MBOX", False),
}
# The admin's "forgotten password" reaches imported staff too (they have no usable password).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "accounts.forms.AdminPasswordResetForm"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "mp4", "webm", "txt", "csv"]
# What one form may post: enough for the role-play editor's largest scenario (site/limits.py).
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.FORM_FIELDS
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.FORM_BYTES

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline
# script, no eval — which is what makes an injected <script> inert (the Wagtail admin alone
# also allows inline scripts: academy.middleware.ContentSecurityPolicyMiddleware). Inline
# styles stay allowed (progress bars set their width, the admin uses style attributes): CSS
# cannot run code. Videos may come from a trainer's https link; nothing may frame the site
# but itself (the admin's preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],  # no style attributes or <style> in our pages
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "https:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The service worker (/sw.js) and the web app manifest, from our own origin only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
    },
}
# No Gravatar in the admin: it is a third-party request the CSP (and offline sites) refuse.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain http
    # Off only where the site is served over plain http (serve.sh --production on 127.0.0.1).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Production mode logs one JSON object per line (academy.logs): every request with its
# request id, user id, path, status and duration, and errors with their traceback.
# KEFU_LOG_FORMAT=text gives plain lines.
LOG_FORMAT = os.environ.get("KEFU_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "academy.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "academy.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Failed logins, lock-outs and unlocks (django-axes and academy.login_throttle).
        "axes": {"level": "WARNING"},
        "academy.security": {"level": "INFO"},
        # One line per request and per task run (failures always); development's runserver
        # prints its own request lines.
        **{
            name: {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}
            for name in ("academy.requests", "academy.scheduler", "django_tasks", "django_tasks_db")
        },
    },
}

# Daily reminders (`manage.py send_reminders`, see supervision/tasks.py): e-mail learners
# whose assignments are overdue or due within `due_soon_days`, and each supervisor a digest
# of their sites. Certificates about to expire are re-assigned whatever these say.
REMINDERS = {
    "enabled": env_bool("KEFU_REMINDERS_ENABLED", True),
    "due_soon_days": int(os.environ.get("KEFU_REMINDERS_DUE_SOON_DAYS", "7")),
    "supervisor_digest": env_bool("KEFU_REMINDERS_SUPERVISOR_DIGEST", True),
}

# Activation sheets (accounts): how long a printed code works, and how many activation
# attempts (typed codes, QR links, password forms) one client may make per minute.
ACTIVATION = {
    "valid_days": int(os.environ.get("KEFU_ACTIVATION_VALID_DAYS", "14")),
    "per_client_per_minute": int(os.environ.get("KEFU_ACTIVATION_PER_MINUTE", "10")),
}

# Self-service password reset (accounts): requests and typed codes per client address and
# minute, and per account (as typed) and hour; how long a reset code sent to someone
# without e-mail works and how many wrong codes may be typed against it; and how long the
# e-mailed link works (Django's PASSWORD_RESET_TIMEOUT, default 3 days, is long for a link
# that signs a person in).
PASSWORD_RESET = {
    "per_client_per_minute": int(os.environ.get("KEFU_RESET_PER_MINUTE", "10")),
    "per_account_per_hour": int(os.environ.get("KEFU_RESET_PER_ACCOUNT_PER_HOUR", "5")),
    "code_minutes": int(os.environ.get("KEFU_RESET_CODE_MINUTES", "30")),
    "code_wrong_tries": int(os.environ.get("KEFU_RESET_CODE_TRIES", "5")),
}
PASSWORD_RESET_TIMEOUT = int(os.environ.get("KEFU_RESET_LINK_HOURS", "24")) * 3600

# Work-chat platforms (workchat/): reminders as application messages and log-in with WeCom
# or DingTalk. Off until the credentials are set. Every base URL is a setting so that tests
# and the demo reach a fake server on 127.0.0.1 (tests/fakes/workchat.py) instead.
WECOM = {
    "corp_id": os.environ.get("KEFU_WECOM_CORP_ID", ""),
    "agent_id": os.environ.get("KEFU_WECOM_AGENT_ID", ""),
    "secret": os.environ.get("KEFU_WECOM_SECRET", ""),
    "api_base": os.environ.get("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com"),
    # The QR-code login page for browsers outside WeCom.
    "login_base": os.environ.get("KEFU_WECOM_LOGIN_BASE", "https://login.work.weixin.qq.com"),
    # The silent OAuth2 page used inside the WeCom app.
    "oauth_base": os.environ.get("KEFU_WECOM_OAUTH_BASE", "https://open.weixin.qq.com"),
}
DINGTALK = {
    "app_key": os.environ.get("KEFU_DINGTALK_APP_KEY", ""),
    "app_secret": os.environ.get("KEFU_DINGTALK_APP_SECRET", ""),
    "agent_id": os.environ.get("KEFU_DINGTALK_AGENT_ID", ""),
    # Server API (tokens, work notices, user look-up).
    "oapi_base": os.environ.get("KEFU_DINGTALK_OAPI_BASE", "https://oapi.dingtalk.com"),
    # The newer API the OAuth2 login uses (user access token, the signed-in user).
    "api_base": os.environ.get("KEFU_DINGTALK_API_BASE", "https://api.dingtalk.com"),
    "login_base": os.environ.get("KEFU_DINGTALK_LOGIN_BASE", "https://login.dingtalk.com"),
}

# Log-in with WeCom / DingTalk (accounts/providers/, through django-allauth): each platform
# shows its button once its settings above are filled in; a login is matched to the staff
# member whose roster entry carries that WeCom / DingTalk user id, never to a new account.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.PlatformLoginAdapter"  # apps from WECOM / DINGTALK
ACCOUNT_ADAPTER = "accounts.adapters.NoSignupAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False  # nothing is kept of a login but the session
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10  # as workchat.http's
PLATFORM_LOGIN = {
    # Each returning login makes one call to the platform; this bounds what one client can
    # make us call (the platforms limit calls per application).
    "per_client_per_minute": int(os.environ.get("KEFU_PLATFORM_LOGIN_PER_MINUTE", "60")),
}

# Text messages (短信) through Tencent Cloud SMS (workchat/sms.py). Off until the credentials,
# the application (SdkAppId) and the approved signature are set. Only pre-approved templates
# can be sent: one template id per kind of message (README lists their wording); a kind
# without one does not go by SMS. `api_base` (scheme and host) points the SDK at the fake.
SMS = {
    "secret_id": os.environ.get("KEFU_SMS_SECRET_ID", ""),
    "secret_key": os.environ.get("KEFU_SMS_SECRET_KEY", ""),
    "sdk_app_id": os.environ.get("KEFU_SMS_SDK_APP_ID", ""),
    "sign_name": os.environ.get("KEFU_SMS_SIGN_NAME", ""),
    "region": os.environ.get("KEFU_SMS_REGION", "ap-guangzhou"),
    "api_base": os.environ.get("KEFU_SMS_API_BASE", "https://sms.tencentcloudapi.com"),
    "templates": {
        "learner_reminder": os.environ.get("KEFU_SMS_TEMPLATE_LEARNER_REMINDER", ""),
        "supervisor_digest": os.environ.get("KEFU_SMS_TEMPLATE_SUPERVISOR_DIGEST", ""),
        "reset_code": os.environ.get("KEFU_SMS_TEMPLATE_RESET_CODE", ""),
    },
}

# How reminders, digests and reset codes reach a person (supervision/channels.py): the first
# channel of this list that is configured and for which the person has an address. The
# work-chat apps come first because that is where front-line staff look; SMS comes last
# because every message costs money. A channel that is not configured is skipped, so the
# default is e-mail alone until WeCom, DingTalk or SMS credentials are set.
REMINDER_CHANNELS = [
    name.strip().lower()
    for name in os.environ.get("KEFU_REMINDER_CHANNELS", "wecom,dingtalk,email,sms").split(",")
    if name.strip()
]
