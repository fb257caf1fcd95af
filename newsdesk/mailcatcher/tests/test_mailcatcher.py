"""The development mail catcher: a real SMTP server that keeps mail, and the admin's outbox."""

import os
import smtplib
from email.message import EmailMessage

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.core.mail import EmailMultiAlternatives

from newsdesk.mailcatcher import store

pytestmark = pytest.mark.django_db

HOSTILE_HTML = (
    '<p>Hello</p><script>parent.document.title = "pwned"</script><img src=x onerror="alert(1)">'
)


def send_hostile_message():
    message = EmailMultiAlternatives(
        subject="Weekly <b>digest</b>",
        body="Read it at http://127.0.0.1:8000/story/ today.",
        from_email="Desk <desk@example.org>",
        to=["reader@example.org"],
    )
    message.attach_alternative(HOSTILE_HTML, "text/html")
    message.send()


def test_the_catcher_keeps_every_message_with_its_envelope(mail_catcher, settings):
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            "a@example.org",
            "b@example.org",
            "First",
        )
        message.set_content("one")
        smtp.send_message(message, to_addrs=["b@example.org", "c@example.org"])
        message.replace_header("Subject", "Second")
        smtp.send_message(message)
    caught = mail_catcher()
    assert [m.header("Subject") for m in caught] == ["Second", "First"]  # newest first
    assert caught[1].header("X-Envelope-To") == "b@example.org, c@example.org"
    assert caught[1].text.strip() == "one"
    assert sorted(p.suffix for p in settings.MAILCATCHER_DIR.iterdir()) == [".eml", ".eml"]


def test_the_outbox_shows_headers_text_and_html_without_running_it(editor_client, mail_catcher):
    send_hostile_message()
    [_caught] = mail_catcher()
    outbox = BeautifulSoup(editor_client.get("/admin/outbox/").content.decode(), "html.parser")
    link = outbox.find("a", string="Weekly <b>digest</b>")
    assert "reader@example.org" in outbox.select_one(".mailcatcher-outbox tbody").get_text()

    page = editor_client.get(link["href"])
    html = page.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    headers = {
        th.get_text(): th.find_next("td").get_text()
        for th in soup.select(".mailcatcher-headers th")
    }
    assert (
        headers["Subject"] == "Weekly <b>digest</b>"
        and headers["From"] == "Desk <desk@example.org>"
    )
    assert "<b>digest</b>" not in html
    text = soup.select_one(".mailcatcher-text")
    assert text.find("a")["href"] == "http://127.0.0.1:8000/story/"
    frame = soup.select_one("iframe.mailcatcher-html")
    assert frame.get("sandbox") in ("", []) and frame["srcdoc"] == HOSTILE_HTML
    assert "<script>parent" not in html  # only ever inside the escaped srcdoc attribute


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..%2F..%2Fsecret_key", "20260101T000000000000-zz"]
)
def test_the_outbox_opens_only_its_own_messages(editor_client, mail_catcher, name):
    assert editor_client.get(f"/admin/outbox/{name}/").status_code == 404


def test_the_outbox_is_staff_only(client, mail_catcher):
    send_hostile_message()
    [caught] = mail_catcher()
    for url in ("/admin/outbox/", f"/admin/outbox/{caught.name}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw"))
    for url in ("/admin/outbox/", f"/admin/outbox/{caught.name}/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and b"digest" not in response.content


def test_the_outbox_is_in_the_admin_menu(editor_client, mail_catcher):
    assert "/admin/outbox/" in editor_client.get("/admin/").content.decode()


def staff_member(*codenames):
    user = User.objects.create_user("desk", "desk@example.org", "pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def test_staff_who_may_not_manage_subscribers_neither_see_nor_open_the_outbox(client, mail_catcher):
    send_hostile_message()
    [caught] = mail_catcher()
    client.force_login(staff_member("view_subscription"))
    assert client.get("/admin/").status_code == 200
    assert "/admin/outbox/" not in client.get("/admin/").content.decode()
    for url in ("/admin/outbox/", f"/admin/outbox/{caught.name}/"):
        response = client.get(url)
        assert response.status_code == 403 and b"digest" not in response.content


def test_staff_who_manage_subscribers_see_and_open_the_outbox(client, mail_catcher):
    send_hostile_message()
    [caught] = mail_catcher()
    client.force_login(staff_member("delete_subscription"))
    assert "/admin/outbox/" in client.get("/admin/").content.decode()
    for url in ("/admin/outbox/", f"/admin/outbox/{caught.name}/"):
        response = client.get(url)
        assert response.status_code == 200 and b"digest" in response.content


def test_caught_mail_is_readable_by_this_account_only(tmp_path):
    folder = tmp_path / "mail"
    previous = os.umask(0o022)
    try:
        name = store.save(
            folder, "desk@example.org", ["reader@example.org"], b"Subject: Hi\r\n\r\n"
        )
    finally:
        os.umask(previous)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / f"{name}.eml").stat().st_mode & 0o777 == 0o600
