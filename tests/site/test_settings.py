"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="academy.settings", **env)
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def show(setting_expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print({setting_expression})"
    result = run_django("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7$Kq2!vLm9#pR4wZt8&nB3@cY6^hJ1*eF5(sD0)gA-uT+iO=kW_",
    "DJANGO_ALLOWED_HOSTS": "academy.example.com",
    "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
}


def test_production_settings_pass_check_deploy():
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = run_django("check", **env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_defaults_are_sqlite_chinese_and_local_media():
    assert show("settings.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert show("settings.LANGUAGE_CODE") == "zh-hans"
    assert show("[c for c, _ in settings.LANGUAGES]") == "['zh-hans', 'en']"
    assert show("settings.MEDIA_ROOT") == str(ROOT / "media")
    assert "console" in show("settings.EMAIL_BACKEND")


def test_database_url_selects_postgresql():
    engine = show(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kefu",
    )
    assert engine == "django.db.backends.postgresql kefu"


def test_media_and_email_follow_the_environment(tmp_path):
    assert show("settings.MEDIA_ROOT", DJANGO_MEDIA_ROOT=str(tmp_path)) == str(tmp_path)
    backend = show(
        "settings.EMAIL_BACKEND", DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"
    )
    assert backend == "django.core.mail.backends.smtp.EmailBackend"


def test_production_mode_serves_hashed_static_files_and_keeps_connections():
    expression = (
        "settings.STORAGES['staticfiles']['BACKEND'], "
        "settings.MIDDLEWARE.index('whitenoise.middleware.WhiteNoiseMiddleware') "
        "- settings.MIDDLEWARE.index('django.middleware.security.SecurityMiddleware'), "
        "settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
    )
    shown = show(expression, DATABASE_URL="postgres://postgres@127.0.0.1:5432/kefu", **PRODUCTION)
    assert shown == "whitenoise.storage.CompressedManifestStaticFilesStorage 1 600 True"
    development = show("settings.STORAGES['staticfiles']['BACKEND'], settings.MIDDLEWARE")
    assert "ManifestStaticFiles" not in development and "whitenoise" not in development


def test_redis_url_selects_the_shared_cache_and_local_memory_is_the_default():
    assert show("settings.CACHES['default']['BACKEND']").endswith("locmem.LocMemCache")
    cache = show(
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert cache == "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/5"


def test_object_storage_keeps_certificates_under_their_own_prefix_and_bucket():
    s3 = "storages.backends.s3.S3Storage"
    options = show(
        "settings.STORAGES['certificates'], settings.AWS_S3_ENDPOINT_URL, "
        "settings.AWS_S3_ADDRESSING_STYLE, settings.AWS_QUERYSTRING_AUTH, settings.SERVE_MEDIA",
        DJANGO_MEDIA_STORAGE=s3,
        DJANGO_CERTIFICATE_STORAGE=s3,
        AWS_STORAGE_BUCKET_NAME="kefu-media",
        KEFU_CERTIFICATE_BUCKET="kefu-certificates",
        AWS_S3_ENDPOINT_URL="https://oss-cn-hangzhou.aliyuncs.com",
    )
    assert options == (
        "{'BACKEND': 'storages.backends.s3.S3Storage', 'OPTIONS': {'location': 'certificates', "
        "'bucket_name': 'kefu-certificates'}} https://oss-cn-hangzhou.aliyuncs.com "
        "virtual True False"
    )
