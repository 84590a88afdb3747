"""Production settings refuse unsafe configuration; a production-like one passes check --deploy."""

import subprocess

import pytest
from django.conf import settings

from tests.processes import run_with_settings

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "a-long-random-production-like-key-" + "x" * 40,
    "ALLOWED_HOSTS": "innovasjonsportalen.no",
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://portal@smtp.example.no:587",
}


def load_settings(env_overrides: dict) -> subprocess.CompletedProcess:
    return run_with_settings(env_overrides, "-c", "from django.conf import settings; settings.SECRET_KEY")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "local-demo-only-not-secret"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"ALLOWED_HOSTS": "*"}, "'*' is not allowed"),
        ({"ALLOWED_HOSTS": "innovasjonsportalen.no,*"}, "'*' is not allowed"),
    ],
)
def test_unsafe_production_settings_stop_the_start_up(change, message):
    result = load_settings({**PRODUCTION_ENV, **change})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


IDPORTEN_ENV = {
    "IDPORTEN_ENABLED": "True",
    "IDPORTEN_CLIENT_ID": "innovasjonsportalen",
    "IDPORTEN_CLIENT_SECRET": "a-client-secret-from-samarbeidsportalen",
    "IDPORTEN_PID_KEY": "a-long-random-pid-key-" + "y" * 40,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"IDPORTEN_CLIENT_SECRET": ""}, "IDPORTEN_CLIENT_SECRET must be set"),
        ({"IDPORTEN_PID_KEY": ""}, "IDPORTEN_PID_KEY must be set"),
        ({"IDPORTEN_PID_KEY": "local-demo-only-pid-key"}, "IDPORTEN_PID_KEY must be set"),
        ({"IDPORTEN_CLIENT_ID": ""}, "IDPORTEN_CLIENT_ID must be set"),
    ],
)
def test_idporten_without_its_secrets_stops_the_production_start_up(change, message):
    result = load_settings({**PRODUCTION_ENV, **IDPORTEN_ENV, **change})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_idporten_is_off_by_default_and_needs_no_secret_then():
    result = run_with_settings(
        PRODUCTION_ENV,
        "-c",
        "from django.conf import settings as s; print(s.IDPORTEN_ENABLED, s.SECURE_CSP['form-action'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=1)[0] == "False"
    assert "idporten" not in result.stdout


def test_idporten_on_with_its_secrets_loads_with_id_portens_endpoints_and_passes_check_deploy():
    code = (
        "from django.conf import settings as s\n"
        "print(s.OIDC_RP_SCOPES, s.IDPORTEN_ACR_VALUES, s.OIDC_USE_PKCE, s.OIDC_PKCE_CODE_CHALLENGE_METHOD,"
        " s.OIDC_RP_SIGN_ALGO, s.OIDC_OP_JWKS_ENDPOINT, sorted(map(str, s.SECURE_CSP['form-action'])))"
    )
    result = run_with_settings({**PRODUCTION_ENV, **IDPORTEN_ENV}, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "openid profile idporten-loa-substantial True S256 RS256 https://idporten.no/jwks.json"
        " [\"'self'\", 'https://login.idporten.no']"
    )
    deploy = run_with_settings(
        {**PRODUCTION_ENV, **IDPORTEN_ENV}, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


def test_the_same_production_settings_load_when_complete():
    result = load_settings(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_local_defaults_run_with_nothing_set():
    result = run_with_settings(
        {},
        "-c",
        "import os\n"
        "for k in ('DEBUG', 'SECRET_KEY', 'ALLOWED_HOSTS', 'DATABASE_URL', 'REDIS_URL', 'EMAIL_URL'):\n"
        "    os.environ.pop(k, None)\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.MAILERS['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_check_deploy_has_no_warnings_with_production_like_settings():
    result = run_with_settings(PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_language_time_and_celery_reliability_settings():
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "nn", "en"]
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT > 0
    assert settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is True
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    # Redis must not redeliver a task that is still within its time limit.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.parametrize("inside", ["STATIC_ROOT", "MEDIA_ROOT"])
def test_a_private_media_root_inside_a_served_directory_stops_the_start_up(tmp_path, inside):
    served = tmp_path / "served"
    result = load_settings({**PRODUCTION_ENV, inside: str(served), "PRIVATE_MEDIA_ROOT": str(served / "private")})
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ROOT must lie outside" in result.stderr
