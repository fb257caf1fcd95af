"""Signing in and up by an emailed link: neutral answers, limits, single use, expiry, a button to press."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsdesk.members import sessions, signin
from newsdesk.members.models import Member, Membership, SignInLink
from newsdesk.newsletters.models import Suppression

from .conftest import link_in

pytestmark = pytest.mark.django_db


def test_the_answer_is_the_same_for_a_member_a_stranger_and_a_suppressed_address(
    ask_for_link, run_tasks, tiers
):
    Member.objects.create(email="member@example.org")
    Suppression.suppress("bounced@example.org", Suppression.Reason.BOUNCED, "test")
    answers = []
    for address in ("member@example.org", "new@example.org", "bounced@example.org"):
        response = ask_for_link(address)
        assert response.status_code == 200
        answers.append(response.content.decode().replace(address, "ADDRESS"))
    assert answers[0] == answers[1] == answers[2]
    assert "If ADDRESS can be used here, we have sent a link" in answers[0]
    run_tasks()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "member@example.org",
        "new@example.org",
    ]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["member@example.org"].startswith("Sign in to")
    assert subjects["new@example.org"].startswith("Finish joining")


def test_no_member_exists_until_the_link_is_pressed(client, mailed_link, tiers):
    url = mailed_link("new@example.org")
    assert not Member.objects.exists()
    # A mail scanner follows the link: it gets a button, and signs nobody in.
    response = client.get(url)
    assert response.status_code == 200
    assert b"Finish joining" in response.content and b'method="post"' in response.content
    assert not Member.objects.exists() and sessions.MEMBER_COOKIE not in response.cookies
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/account/"
    member = Member.objects.get()
    assert member.email == "new@example.org"
    assert member.membership.tier == tiers["free"]
    assert member.membership.source == Membership.Source.FREE
    assert client.get("/account/").status_code == 200


def test_the_link_works_once(client, mailed_link, tiers):
    url = mailed_link()
    assert client.post(url).status_code == 302
    other = Client()
    response = other.post(url)
    assert response.status_code == 400 and b"This link has expired" in response.content
    assert sessions.MEMBER_COOKIE not in response.cookies
    assert Member.objects.count() == 1


def test_the_link_expires_after_30_minutes(client, mailed_link, tiers):
    url = mailed_link()
    SignInLink.objects.update(
        created_at=timezone.now() - signin.LINK_LIFETIME - timedelta(seconds=1)
    )
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400 and b"This link has expired" in response.content
    assert not Member.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "A" * 43, "x" * 300])
def test_a_forged_link_signs_nobody_in(client, mailed_link, tiers, token):
    mailed_link()
    response = client.post(f"/account/sign-in/{token}/")
    assert response.status_code == 400 and b"This link does not work" in response.content
    assert not Member.objects.exists()


def test_only_a_hash_of_the_token_is_stored(mailed_link, tiers):
    url = mailed_link()
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = SignInLink.objects.get()
    assert link.token_hash and token not in link.token_hash
    assert not SignInLink.objects.filter(token_hash=token).exists()


def test_pressing_one_link_spends_the_others_of_the_address(client, mailed_link, tiers):
    first, second = mailed_link(), mailed_link()
    assert client.post(second).status_code == 302
    assert Client().post(first).status_code == 400


def test_the_task_mails_a_link_once_however_often_it_runs(ask_for_link, run_tasks, tiers):
    from newsdesk.members.tasks import send_sign_in_email

    ask_for_link()
    run_tasks()
    link = SignInLink.objects.get()
    assert send_sign_in_email.call(link.pk) == 0
    assert len(mail.outbox) == 1


def test_limits_per_address_and_per_client(ask_for_link, run_tasks, tiers):
    count, _ = signin.LINKS_PER_ADDRESS
    for _ in range(count + 2):
        assert ask_for_link("busy@example.org").status_code == 200
    ip_count, _ = signin.REQUESTS_PER_IP
    for number in range(ip_count + 2):
        ask_for_link(f"reader{number}@example.org", ip="198.51.100.9")
    run_tasks()
    to = [message.to[0] for message in mail.outbox]
    assert to.count("busy@example.org") == count
    assert sum(address.startswith("reader") for address in to) == ip_count


@pytest.mark.parametrize(
    "address, problem",
    [
        ("", "Enter your email address."),
        ("not-an-address", "Please enter a correct email address"),
        ("Reader <reader@example.org>", "without a name or angle brackets"),
        ("a@example.org\r\nBcc: b@example.org", "line breaks"),
    ],
)
def test_a_bad_address_gets_a_clear_error_and_stores_nothing(
    ask_for_link, run_tasks, tiers, address, problem
):
    response = ask_for_link(address)
    assert response.status_code == 400 and problem in response.content.decode()
    run_tasks()
    assert not SignInLink.objects.exists() and not mail.outbox


def test_an_unknown_field_is_refused(ask_for_link, tiers):
    response = ask_for_link("reader@example.org", admin="1")
    assert response.status_code == 400 and not SignInLink.objects.exists()


def test_after_signing_in_the_reader_goes_back_where_they_were(client, mailed_link, tiers):
    url = mailed_link(next="/city/a-story/")
    assert client.post(url)["Location"] == "/city/a-story/"
    elsewhere = mailed_link("other@example.org", next="https://evil.example/")
    assert Client().post(elsewhere)["Location"] == "/account/"


def test_signing_out_ends_the_session_for_good(client, sign_in, tiers):
    sign_in(client)
    stolen = client.cookies[sessions.MEMBER_COOKIE].value
    response = client.post("/account/sign-out/")
    assert response.status_code == 302 and response.cookies[sessions.MEMBER_COOKIE].value == ""
    assert client.get("/account/")["Location"].startswith("/account/sign-in/")
    thief = Client()
    thief.cookies[sessions.MEMBER_COOKIE] = stolen
    assert thief.get("/account/")["Location"].startswith("/account/sign-in/")


def test_sign_out_needs_a_post(client, sign_in, tiers):
    sign_in(client)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.get("/account/").status_code == 200


def test_old_links_are_cleared_away(mailed_link, tiers):
    mailed_link("old@example.org")
    SignInLink.objects.update(created_at=timezone.now() - signin.KEEP_LINKS_FOR - timedelta(1))
    mailed_link("new@example.org")
    assert list(SignInLink.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert link_in(mail.outbox[-1])


def test_the_worker_clears_ended_sessions_and_lapses_memberships_every_minute(
    client, sign_in, tiers
):
    from django.contrib.sessions.models import Session

    from newsdesk.core import periodic

    sign_in(client)
    assert {"lapse_memberships", "clear_expired_sessions"} <= set(periodic.JOBS)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    periodic.JOBS["clear_expired_sessions"]()
    assert not Session.objects.exists()
    assert client.get("/account/").status_code == 302
