"""A reader's path from the form to a confirmed, manageable subscription, over real SMTP."""

import re
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing

from newsdesk.newsletters.models import ConsentRecord, Subscriber, Subscription
from newsdesk.newsletters.subscribers import tokens
from newsdesk.newsletters.subscribers.forms import started_token

from .conftest import SUBSCRIBE_URL, form_data

pytestmark = pytest.mark.django_db

Status = Subscription.Status


def link_in(message, label):
    """The link after `label` in the plain-text part, as a path on this site."""
    url = re.search(re.escape(label) + r"\s*\n(\S+)", message.text).group(1)
    return re.sub(r"^https?://[^/]+", "", url)


def text_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser").get_text(" ", strip=True)


def nothing_stored():
    return not (
        Subscriber.objects.exists()
        or Subscription.objects.exists()
        or ConsentRecord.objects.exists()
    )


def test_subscribe_confirm_manage_and_leave(
    client, newsletters, subscribe, run_tasks, mail_catcher
):
    response = subscribe()
    assert response.status_code == 200
    assert "we have sent a confirmation email to reader@example.org" in text_of(response)
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.newsletter, subscription.status) == (
        "reader@example.org",
        newsletters["briefing"],
        Status.PENDING,
    )
    request = ConsentRecord.objects.get()
    assert request.action == "requested" and request.method == "form"
    assert request.ip_address == "203.0.113.7" and request.user_agent == "Mozilla/5.0 (Test reader)"
    assert request.source_url == "/city/bridge/"
    assert "Subscribe to The Briefing" in request.wording and "unsubscribe" in request.wording
    assert mail_catcher() == []  # nothing is sent inside the request

    run_tasks()
    [message] = mail_catcher()
    assert message.header("To") == "reader@example.org"
    assert message.header("From") == "The Briefing <briefing@ledger.example.org>"
    assert message.header("Reply-To") == "letters@ledger.example.org"
    assert message.header("Subject") == "Confirm your subscription to The Briefing"
    assert message.header("Return-Path") == "<briefing@ledger.example.org>"
    assert "The Briefing with Ira Test" in message.text
    confirm_path = link_in(message, "press the button on the page:")
    assert confirm_path in message.html.replace("&amp;", "&")

    # Following the link (as a mail scanner would) shows a button and confirms nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200 and "Yes, subscribe me" in text_of(page)
    assert Subscription.objects.get().status == Status.PENDING

    confirmed = client.post(
        confirm_path, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Phone browser"
    )
    assert "You are subscribed" in text_of(confirmed)
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED and subscription.confirmed_at
    confirmation = ConsentRecord.objects.get(action="confirmed")
    assert (confirmation.method, confirmation.ip_address, confirmation.user_agent) == (
        "confirmation_link",
        "198.51.100.4",
        "Phone browser",
    )
    assert confirmation.wording == "Yes, send me The Briefing."

    # Confirming twice is harmless.
    assert "You are subscribed" in text_of(client.post(confirm_path))
    assert ConsentRecord.objects.filter(action="confirmed").count() == 1
    Subscription.objects.get(status=Status.CONFIRMED, confirmed_at=subscription.confirmed_at)

    preferences_path = link_in(message, "unsubscribe at any time:")
    page = BeautifulSoup(client.get(preferences_path).content.decode(), "html.parser")
    briefing_box = page.find(
        "input", {"name": "newsletters", "value": str(newsletters["briefing"].pk)}
    )
    assert briefing_box.has_attr("checked")
    assert not page.find(
        "input", {"value": str(newsletters["closed"].pk)}
    )  # closed and never received

    left = client.post(preferences_path, {"leave_all": ""}, follow=True)
    assert "You have unsubscribed from all our newsletters" in text_of(left)
    subscription.refresh_from_db()
    assert subscription.status == Status.UNSUBSCRIBED and subscription.unsubscribed_at
    assert subscription.unsubscribe_method == "leave_all"
    assert ConsentRecord.objects.filter(action="withdrawn", method="leave_all").count() == 1
    # An old confirmation link does not bring back someone who left.
    client.post(confirm_path)
    assert Subscription.objects.get().status == Status.UNSUBSCRIBED


def test_a_choice_of_several_newsletters_sends_one_email(
    newsletters, subscribe, run_tasks, mail_catcher, settings
):
    subscribe(newsletter=["briefing", "explainer"])
    assert Subscription.objects.filter(status=Status.PENDING).count() == 2
    run_tasks()
    [message] = mail_catcher()
    assert message.header("Subject") == "Confirm your subscription to The Briefing, The Explainer"
    assert message.header("From") == settings.DEFAULT_FROM_EMAIL
    assert "The Explainer with News desk" in message.text


BAD_ADDRESSES = [
    ("reader@example.org\r\nBcc: victim@example.org", "line breaks"),
    ("reader@example.org\nSubject: hi", "line breaks"),
    ("a" * 250 + "@example.org", "too long"),
    ("Reader <reader@example.org>", "without a name or angle brackets"),
    ("reader@example.org, other@example.org", "one email address only"),
    ("reader@example.org other@example.org", "one email address only"),
    ("reader@example.org;other@example.org", "one email address only"),
    ("", "Enter your email address"),
    ("   ", "Enter your email address"),
    ("reader@", "Please enter a correct email address"),
    ("reader.example.org", "Please enter a correct email address"),
    ("reader@localhost", "Please enter a correct email address"),
]


@pytest.mark.parametrize("address, complaint", BAD_ADDRESSES)
def test_a_bad_address_gets_a_clear_error_next_to_the_field_and_changes_nothing(
    newsletters, subscribe, run_tasks, mail_catcher, address, complaint
):
    response = subscribe(email=address)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    field = soup.find("input", {"name": "email"})
    error = soup.find(id=field["aria-describedby"])
    assert complaint in error.get_text() and field["aria-invalid"] == "true"
    run_tasks()
    assert nothing_stored() and mail_catcher() == []


@pytest.mark.parametrize(
    "change, complaint",
    [
        ({"email": None}, "Enter your email address"),
        ({"newsletter": None}, "Choose at least one newsletter"),
        ({"newsletter": "no-such-letter"}, "That newsletter is not available"),
        ({"newsletter": "closed"}, "That newsletter is not available"),
        ({"started": None}, "This form is out of date"),
        ({"started": "forged"}, "This form is out of date"),
        ({"is_admin": "1"}, "fields it does not have: is_admin"),
    ],
)
def test_missing_extra_or_unknown_fields_get_an_error_and_change_nothing(
    newsletters, subscribe, run_tasks, mail_catcher, change, complaint, queued_tasks
):
    email = change.pop("email", "reader@example.org")
    newsletter = change.pop("newsletter", "briefing")
    response = subscribe(email=email, newsletter=newsletter, json=True, **change)
    assert response.status_code == 400
    assert complaint in " ".join(response.json()["errors"].values())
    assert not [path for path, _, _ in queued_tasks() if path.endswith("send_confirmation_email")]
    run_tasks()
    assert nothing_stored() and mail_catcher() == []


def test_a_form_from_a_cached_page_needs_no_csrf_token(newsletters, mail_catcher):
    from django.test import Client

    # Cached pages are the same for every reader, so the form carries no token.
    response = Client(enforce_csrf_checks=True).post(SUBSCRIBE_URL, form_data())
    assert response.status_code == 200
    assert Subscription.objects.get().status == Status.PENDING


def test_only_post_subscribes(client, newsletters):
    assert client.get(SUBSCRIBE_URL, form_data()).status_code == 405
    assert nothing_stored()


def test_the_answer_is_the_same_whoever_the_address_belongs_to(
    newsletters, subscribe, run_tasks, mail_catcher
):
    answers = [subscribe(email="new@example.org", json=True).json()]
    answers.append(subscribe(email="new@example.org", json=True).json())  # pending
    Subscription.objects.update(status=Status.CONFIRMED)
    answers.append(subscribe(email="new@example.org", json=True).json())  # confirmed
    Subscription.objects.update(status=Status.UNSUBSCRIBED)
    answers.append(subscribe(email="new@example.org", json=True).json())  # unsubscribed
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["ok"] is True
    run_tasks()
    # New, pending again and returning: a confirmation each; already confirmed: nothing.
    assert len(mail_catcher()) == 3
    assert Subscription.objects.get().status == Status.PENDING


def test_a_pending_address_gets_at_most_three_confirmations_a_day(
    newsletters, subscribe, run_tasks, mail_catcher
):
    for _ in range(5):
        assert subscribe(email="Pending@Example.org", json=True).json()["ok"]
    run_tasks()
    assert len(mail_catcher()) == 3
    assert ConsentRecord.objects.count() == 3


def test_one_client_address_cannot_mail_bomb_through_the_form(
    newsletters, subscribe, run_tasks, mail_catcher
):
    answers = {
        subscribe(email=f"victim{n}@example.org", json=True)
        .json()["message"]
        .replace(f"victim{n}@", "@")
        for n in range(22)
    }
    assert len(answers) == 1
    assert Subscriber.objects.count() == 20
    subscribe(email="someone@example.org", ip="192.0.2.99")
    assert Subscriber.objects.filter(email="someone@example.org").exists()
    run_tasks()
    assert len(mail_catcher()) == 21


@pytest.mark.parametrize("trap", ["honeypot", "too-fast"])
def test_bots_get_the_neutral_answer_and_nothing_is_sent(
    newsletters, subscribe, run_tasks, mail_catcher, trap
):
    extra = (
        {"website": "http://spam.example"}
        if trap == "honeypot"
        else {"started": started_token(time.time())}
    )
    bot = subscribe(json=True, **extra)
    human = subscribe(email="human@example.org", json=True)
    assert bot.status_code == human.status_code == 200
    assert bot.json()["message"].replace("reader@", "human@") == human.json()["message"]
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    run_tasks()
    assert [m.header("To") for m in mail_catcher()] == ["human@example.org"]


def test_addresses_are_normalised_and_internationalised_domains_work(
    newsletters, subscribe, run_tasks, mail_catcher
):
    subscribe(email="  Reader@Пример.УКР  ")
    assert Subscriber.objects.get().email == "Reader@пример.укр"
    subscribe(email="reader@пример.укр", newsletter="explainer")
    assert Subscriber.objects.count() == 1 and Subscription.objects.count() == 2
    run_tasks()
    assert {m.header("X-Envelope-To") for m in mail_catcher()} == {"Reader@xn--e1afmkfd.xn--j1amh"}


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(
    client, newsletters, subscribe, monkeypatch
):
    subscribe()
    subscriber = Subscriber.objects.get()
    eight_days_ago = time.time() - timedelta(days=8).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: eight_days_ago)
    url = tokens.confirmation_url(subscriber, [newsletters["briefing"]])
    monkeypatch.undo()
    path = url.split("://", 1)[1].split("/", 1)[1]
    for response in (client.get("/" + path), client.post("/" + path)):
        assert response.status_code == 400 and "This link has expired" in text_of(response)
    assert Subscription.objects.get().status == Status.PENDING


@pytest.mark.parametrize("tamper", ["altered", "forged", "preferences-token"])
def test_an_altered_or_forged_link_changes_nothing(client, newsletters, subscribe, tamper):
    subscribe()
    subscriber = Subscriber.objects.get()
    token = (
        tokens.confirmation_url(subscriber, [newsletters["briefing"]]).rstrip("/").rsplit("/", 1)[1]
    )
    if tamper == "altered":
        token = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    elif tamper == "forged":
        token = signing.dumps(
            {"s": subscriber.pk, "n": [newsletters["briefing"].pk]}, key="not-our-secret-key"
        )
    else:
        token = tokens.preferences_url(subscriber).rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/newsletters/confirm/{token}/")
    assert response.status_code == 400 and "This link does not work" in text_of(response)
    assert Subscription.objects.get().status == Status.PENDING


def test_preferences_switch_newsletters_on_and_off_and_never_expire(
    client, newsletters, subscribe, monkeypatch
):
    subscribe()
    subscriber = Subscriber.objects.get()
    long_ago = time.time() - timedelta(days=400).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: long_ago)
    path = "/" + tokens.preferences_url(subscriber).split("://", 1)[1].split("/", 1)[1]
    monkeypatch.undo()

    page = client.get(path)
    assert page.status_code == 200 and "waiting for you to confirm" in text_of(page)
    response = client.post(
        path, {"newsletters": [newsletters["explainer"].pk], "save": ""}, follow=True
    )
    assert "Your choices are saved" in text_of(response)
    statuses = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert statuses == {"briefing": Status.UNSUBSCRIBED, "explainer": Status.CONFIRMED}
    assert Subscription.objects.get(newsletter__slug="briefing").unsubscribe_method == "preferences"
    assert ConsentRecord.objects.filter(action="confirmed", method="preferences").count() == 1

    bad = client.post(path, {"newsletters": ["999999"], "save": ""})
    assert bad.status_code == 400 and "That newsletter is not available" in text_of(bad)
    assert dict(Subscription.objects.values_list("newsletter__slug", "status")) == statuses


def test_a_forged_preferences_link_shows_nothing(client, newsletters, subscribe):
    subscribe()
    subscriber = Subscriber.objects.get()
    forged = signing.dumps(subscriber.pk, salt="newsdesk.newsletters.preferences", key="guessed")
    for response in (
        client.get(f"/newsletters/preferences/{forged}/"),
        client.post(f"/newsletters/preferences/{forged}/", {"leave_all": ""}),
    ):
        assert response.status_code == 400 and "reader@example.org" not in response.content.decode()
    assert Subscription.objects.get().status == Status.PENDING


def test_hostile_input_is_escaped(client, newsletters, subscribe, run_tasks, mail_catcher):
    newsletters["briefing"].name = "<script>alert(1)</script> Briefing"
    newsletters["briefing"].save()
    html = client.get("/newsletters/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    response = subscribe(email='"><img src=x onerror=alert(1)>')
    assert "<img src=x" not in response.content.decode()
    response = subscribe(source="javascript:alert(1)")
    assert "javascript:" not in response.content.decode()
    assert ConsentRecord.objects.get().source_url == ""
    run_tasks()
    [message] = mail_catcher()
    assert "<script>alert(1)" not in message.html


def test_a_json_answer_for_the_page_script(newsletters, subscribe):
    answer = subscribe(json=True)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json() == {
        "ok": True,
        "message": "Thank you. Check your inbox: we have sent a confirmation email to reader@example.org. "
        "Open the link in it to finish subscribing.",
    }
    bad = subscribe(email="nope", json=True)
    assert bad.status_code == 400 and bad.json()["ok"] is False and "email" in bad.json()["errors"]
