"""The two profiles, checked in fresh interpreters since settings are read once at import."""

import ast
import os
import subprocess
import sys

import pytest

GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def load_settings(tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    environment.update(NEWSDESK_DATA_DIR=str(tmp_path), **env)
    code = (
        "import newsdesk.settings as s; print(s.PROFILE, s.DATABASES['default']['ENGINE'], s.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


def test_embedded_profile_needs_no_configuration_and_keeps_its_key(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["embedded", "django.db.backends.sqlite3", "False"]
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.parametrize(
    "env, complaint",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_insecure(tmp_path, env, complaint):
    result = load_settings(
        tmp_path, DATABASE_URL="postgres://newsdesk@127.0.0.1:5432/newsdesk", **env
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


def test_production_starts_with_real_settings(tmp_path):
    result = load_settings(
        tmp_path,
        DATABASE_URL="postgres://newsdesk@127.0.0.1:5432/newsdesk",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["production", "django.db.backends.postgresql", "False"]


def test_a_flag_that_is_neither_on_nor_off_is_an_error(tmp_path):
    result = load_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be 1 or 0" in result.stderr


def test_the_embedded_data_folder_database_and_key_are_private(tmp_path):
    data = tmp_path / "var"
    # The WAL goes when the last connection closes: its mode is read while it is open.
    code = (
        "import django, os; django.setup(); from django.db import connection; "
        "connection.cursor().execute('create table t (x)'); "
        "folder = connection.settings_dict['NAME'].parent; "
        "print({name: oct(os.stat(folder / name).st_mode & 0o777) for name in os.listdir(folder)})"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "ALLOWED_HOSTS"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **environment,
            "NEWSDESK_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
        },
        capture_output=True,
        text=True,
        # The usual umask would make every new file world-readable.
        preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    modes = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert data.stat().st_mode & 0o777 == 0o700
    for name in ("secret_key", "newsdesk.sqlite3", "newsdesk.sqlite3-wal", "newsdesk.sqlite3-shm"):
        assert modes[name] == "0o600", name


def test_production_on_https_redirects_plain_http_and_sends_hsts(tmp_path):
    code = (
        "import newsdesk.settings as s; "
        "print(getattr(s, 'SECURE_SSL_REDIRECT', False), getattr(s, 'SECURE_HSTS_SECONDS', 0))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    environment.update(
        NEWSDESK_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://newsdesk@127.0.0.1:5432/newsdesk",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="news.example.org",
    )
    results = [
        subprocess.run(
            [sys.executable, "-c", code],
            env={**environment, "NEWSDESK_SITE_URL": site},
            capture_output=True,
            text=True,
        )
        for site in ("https://news.example.org", "http://news.example.org")
    ]
    assert results[0].stdout.split() == ["True", str(365 * 24 * 3600)], results[0].stderr
    assert results[1].stdout.split() == ["False", "0"], results[1].stderr
