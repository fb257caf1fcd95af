"""EMAIL_URL names the mail server; without it, mail goes to the catcher on loopback."""

import json
import os
import subprocess
import sys

import pytest

FIELDS = [
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
]


def mail_settings(tmp_path, **env):
    ignored = {"EMAIL_URL", "DATABASE_URL", "NEWSDESK_MAILCATCHER_PORT"}
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(NEWSDESK_DATA_DIR=str(tmp_path), **env)
    code = f"import json, newsdesk.settings as s; print(json.dumps([getattr(s, f, None) for f in {FIELDS!r}]))"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://mail.example.org:2525", ["mail.example.org", 2525, "", "", False, False]),
        ("smtp://mail.example.org", ["mail.example.org", 25, "", "", False, False]),
        (
            "smtp+tls://news%40ledger:p%40ss%3Aword@smtp.example.org:587",
            ["smtp.example.org", 587, "news@ledger", "p@ss:word", True, False],
        ),
        ("smtp+ssl://u:p@smtp.example.org", ["smtp.example.org", 465, "u", "p", False, True]),
    ],
)
def test_email_url_names_the_server(tmp_path, url, expected):
    result = mail_settings(tmp_path, EMAIL_URL=url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_without_email_url_mail_goes_to_the_catcher(tmp_path):
    result = mail_settings(tmp_path, NEWSDESK_MAILCATCHER_PORT="2526")
    assert json.loads(result.stdout)[:2] == ["127.0.0.1", 2526]


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:25"])
def test_a_malformed_email_url_stops_startup(tmp_path, url):
    result = mail_settings(tmp_path, EMAIL_URL=url)
    assert result.returncode != 0 and "EMAIL_URL must look like" in result.stderr


def test_the_dns_check_is_asked_for_only_when_the_setting_is_on(settings, monkeypatch):
    from newsdesk.newsletters.subscribers import addresses

    calls = []

    def fake_validate(address, **options):
        calls.append(options["check_deliverability"])
        raise addresses.EmailUndeliverableError("no MX record")

    monkeypatch.setattr(addresses, "validate_email", fake_validate)
    for setting in (False, True):
        settings.NEWSLETTERS_CHECK_DELIVERABILITY = setting
        with pytest.raises(addresses.ValidationError, match="does not receive email"):
            addresses.normalise_address("reader@example.org")
    assert calls == [False, True]


@pytest.mark.parametrize("value, expected", [(None, False), ("0", False), ("1", True)])
def test_the_dns_check_is_off_by_default_and_on_by_environment(tmp_path, value, expected):
    environment = {
        k: v for k, v in os.environ.items() if k != "NEWSDESK_CHECK_EMAIL_DELIVERABILITY"
    }
    environment["NEWSDESK_DATA_DIR"] = str(tmp_path)
    if value is not None:
        environment["NEWSDESK_CHECK_EMAIL_DELIVERABILITY"] = value
    code = "import newsdesk.settings as s; print(s.NEWSLETTERS_CHECK_DELIVERABILITY)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == str(expected), result.stderr
