"""Whose address a request is, behind the shipped nginx, a CDN, or nothing at all."""

import ipaddress
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from newsdesk.core.accesslog import AccessLogger
from newsdesk.core.clientaddress import client_address


def meta(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return headers


@pytest.mark.parametrize(
    "remote, forwarded, client",
    [
        # nginx on the same machine appends the reader's address.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        # What the reader wrote into the header themselves is left of nginx's entry: ignored.
        ("127.0.0.1", "198.51.100.66, 203.0.113.7", "203.0.113.7"),
        # No proxy in front: a forged header changes nothing.
        ("203.0.113.7", "198.51.100.66", "203.0.113.7"),
        # A trusted proxy without the header (a request straight to the app on loopback).
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        # Garbage is never an address: the last proxy's peer is all that is known.
        ("127.0.0.1", "<script>, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("::ffff:203.0.113.7", None, "203.0.113.7"),
        (None, "203.0.113.7", None),
    ],
)
def test_the_client_is_the_rightmost_address_no_trusted_proxy_wrote(remote, forwarded, client):
    assert client_address(meta(remote, forwarded)) == client


def test_behind_a_cdn_its_ranges_are_trusted_too(settings):
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("173.245.48.0/20"),
    ]
    # reader → CDN edge (173.245.48.9) → nginx → app
    assert client_address(meta("127.0.0.1", "203.0.113.7, 173.245.48.9")) == "203.0.113.7"
    # Without the CDN's ranges, the edge would be every reader's address.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.0/8")]
    assert client_address(meta("127.0.0.1", "203.0.113.7, 173.245.48.9")) == "173.245.48.9"


def test_a_long_header_is_read_only_as_far_as_a_real_chain_goes(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    chain = ", ".join(["203.0.113.7"] + ["10.0.0.1"] * 5000)
    assert client_address(meta("10.0.0.2", chain)) == "10.0.0.1"


def test_the_setting_takes_addresses_and_ranges_and_refuses_nonsense(tmp_path):
    from newsdesk.core.tests.test_settings import load_settings

    good = load_settings(tmp_path, NEWSDESK_TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1,2001:db8::/32")
    assert good.returncode == 0, good.stderr
    bad = load_settings(tmp_path, NEWSDESK_TRUSTED_PROXIES="10.0.0.0/8,nginx")
    assert bad.returncode != 0
    assert "ImproperlyConfigured" in bad.stderr and "NEWSDESK_TRUSTED_PROXIES" in bad.stderr


def test_the_access_log_names_the_reader_not_the_proxy():
    logger = AccessLogger(Config())
    environ = {
        **meta("127.0.0.1", "203.0.113.7"),
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["h"] == "203.0.113.7"


def test_the_web_server_logs_and_believes_forwarded_headers_as_this_module_does(
    settings, monkeypatch
):
    from django.core.management import call_command

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("::1")]
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    started = []
    monkeypatch.setattr("os.execv", lambda path, argv: started.append(argv))
    call_command("web")
    [argv] = started
    assert argv[argv.index("--logger-class") + 1] == "newsdesk.core.accesslog.AccessLogger"
    assert argv[argv.index("--forwarded-allow-ips") + 1] == "10.0.0.0/24,::1/128"
