"""Production settings: clear errors for what is missing, and a clean `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3v9-QmZ2xR7tLp0WfYc8NbHs4JdUe6AiOg1VrKyT5qXwMnBzC_" * 2,
    "DJANGO_ALLOWED_HOSTS": "ohjausneuvottelut.example.fi",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_is_a_clear_startup_error():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=false" in result.stderr


def test_missing_allowed_hosts_is_a_clear_startup_error():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false" in result.stderr


def test_local_use_needs_no_environment():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_postgresql_url_enables_the_connection_pool():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['OPTIONS']['pool']['max_size'])"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://steering@db.example.fi:5432/steering",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "steering", "0", "10"]


def test_session_age_retention_and_address_limit_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_ABSOLUTE_MAX_AGE, s.USAGE_LOG_RETENTION_DAYS, "
        "s.AXES_ADDRESS_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        SESSION_ABSOLUTE_MAX_AGE_HOURS="8",
        USAGE_LOG_RETENTION_DAYS="730",
        AXES_ADDRESS_FAILURE_LIMIT="50",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(maxsplit=3) == [
        str(8 * 60 * 60),
        "730",
        "50",
        "[['username', 'ip_address'], 'ip_address']",
    ]


def test_static_files_are_hashed_and_compressed_only_in_production():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    production = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Locally and in the tests no collectstatic has written a manifest.
    local = manage("shell", "-v", "0", "-c", code)
    assert local.stdout.strip() == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_whitenoise_answers_static_files_right_after_the_security_middleware():
    code = "from django.conf import settings; print(*settings.MIDDLEWARE[:2])"
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    code = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['transaction_mode'], o['timeout'], o['init_command'])"
    )
    result = manage("shell", "-v", "0", "-c", code, DATABASE_URL="sqlite:////tmp/demo.sqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "IMMEDIATE 20 PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
