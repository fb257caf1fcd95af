"""Editors compose, preview, test, send, schedule and steer issues; the suppression list; nobody else can."""

import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.core.models import NewsroomSettings
from newsdesk.newsletters.models import Delivery, Issue, Suppression

pytestmark = pytest.mark.django_db


def send_url(issue, action=""):
    return f"/admin/newsletters/issues/{issue.pk}/{action + '/' if action else 'send/'}"


def test_the_send_page_previews_the_email_and_offers_sending(editor_client, issue, audience):
    audience(confirmed=3)
    page = editor_client.get(send_url(issue)).content.decode()
    assert "Send now or schedule…" in page and "3 subscribers would get it now" in page
    assert f'src="/admin/newsletters/issues/{issue.pk}/preview/"' in page and "sandbox" in page

    preview = editor_client.get(send_url(issue, "preview"))
    assert "sandbox" in preview["Content-Security-Policy"]
    html = preview.content.decode()
    assert "Bridge reopens after repairs" in html and "NEWSDESK-UNSUBSCRIBE-URL" not in html


def test_the_issue_list_links_each_issue_to_its_send_page(editor_client, issue):
    html = editor_client.get("/admin/snippets/newsletters/issue/").content.decode()
    assert send_url(issue) in html


def test_sending_from_the_admin_then_pause_resume_cancel(editor_client, issue, audience):
    audience(confirmed=3)
    assert editor_client.get(send_url(issue, "start")).status_code == 405
    response = editor_client.post(send_url(issue, "start"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "sending" and Delivery.objects.filter(issue=issue).count() == 3

    progress = editor_client.get(send_url(issue, "progress")).json()
    assert (progress["total"], progress["remaining"], progress["sent"], progress["status"]) == (
        3,
        3,
        0,
        "sending",
    )
    page = editor_client.get(send_url(issue)).content.decode()
    assert "Pause" in page and "Cancel the send" in page and "Send now or schedule" not in page

    editor_client.post(send_url(issue, "pause"))
    assert Issue.objects.get(pk=issue.pk).status == "paused"
    editor_client.post(send_url(issue, "resume"))
    assert Issue.objects.get(pk=issue.pk).status == "sending"
    editor_client.post(send_url(issue, "cancel"))
    assert Issue.objects.get(pk=issue.pk).status == "cancelled"
    assert editor_client.get(send_url(issue, "progress")).json()["cancelled"] == 3
    # A second start is refused with a message, and nothing more is stored.
    response = editor_client.post(send_url(issue, "start"), follow=True)
    assert "cannot be sent again" in response.content.decode()
    assert Delivery.objects.filter(issue=issue).count() == 3


def test_a_sent_issue_can_no_longer_be_edited(editor_client, issue, audience):
    audience(confirmed=1)
    editor_client.post(send_url(issue, "start"))
    response = editor_client.post(
        f"/admin/snippets/newsletters/issue/edit/{issue.pk}/",
        {
            "newsletter": issue.newsletter_id,
            "subject": "Changed",
            "stories-TOTAL_FORMS": 0,
            "stories-INITIAL_FORMS": 0,
            "stories-MIN_NUM_FORMS": 0,
            "stories-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert Issue.objects.get(pk=issue.pk).subject != "Changed"


def test_scheduling(editor_client, issue):
    # Typed on the newsroom's clock, as the admin reads it (Europe/Kyiv in the test newsroom).
    zone = NewsroomSettings.objects.get().zone
    past = (timezone.localtime(timezone=zone) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = editor_client.post(send_url(issue, "schedule"), {"at": past}, follow=True)
    assert "Choose a time in the future" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == "draft"
    editor_client.post(send_url(issue, "schedule"), {"at": "not a date"})
    assert Issue.objects.get(pk=issue.pk).status == "draft"

    later = (timezone.localtime(timezone=zone) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    editor_client.post(send_url(issue, "schedule"), {"at": later})
    issue.refresh_from_db()
    assert issue.status == "scheduled" and issue.scheduled_at > timezone.now()
    editor_client.post(send_url(issue, "unschedule"))
    assert Issue.objects.get(pk=issue.pk).status == "draft"


def test_sending_asks_first_naming_the_count_and_the_subject(editor_client, issue, audience):
    audience(confirmed=3)
    page = editor_client.get(send_url(issue) + "?confirm=send").content.decode()
    # The count is the send's own: confirmed, not pending, unsubscribed or suppressed.
    assert "Send “Bridge reopens — and the budget” to 3 subscribers of The Briefing?" in page
    assert "Send to 3 subscribers now" in page and "Schedule for 3 subscribers" in page
    assert f'formaction="{send_url(issue, "schedule")}"' in page
    assert re.search(r"Send at \([\w/+-]+ time\)", page)
    assert Issue.objects.get(pk=issue.pk).status == "draft"  # asking sends nothing


def test_the_count_is_written_as_people_read_it(editor_client, issue, newsletters):
    from newsdesk.newsletters.models import Subscriber, Subscription

    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"r{n}@example.org") for n in range(1201)
    )
    Subscription.objects.bulk_create(
        Subscription(subscriber=s, newsletter=newsletters["briefing"], status="confirmed")
        for s in subscribers
    )
    page = editor_client.get(send_url(issue) + "?confirm=send").content.decode()
    assert "to 1,201 subscribers of The Briefing?" in page


def test_a_test_goes_to_the_editor_only(editor_client, issue, audience, sink, run_tasks):
    audience(confirmed=2)
    editor_client.post(send_url(issue, "test"))
    run_tasks()
    assert [recipient for recipient, _ in sink.received] == ["chief@example.org"]
    subject = str(make_header(decode_header(sink.received[0][1]["Subject"])))
    assert subject == "[Test] Bridge reopens — and the budget"
    assert Issue.objects.get(pk=issue.pk).status == "draft" and not Delivery.objects.exists()
    entry = ModelLogEntry.objects.get(action="newsletters.send_test")
    assert entry.user.username == "chief" and entry.data == {"to": "chief@example.org"}


@pytest.fixture
def staff_client(client):
    """A member of staff who may edit issues but not send them."""
    user = User.objects.create_user("writer", "writer@example.org", "pw", is_staff=True)
    group = Group.objects.create(name="Writers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_issue"),
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def test_sending_needs_the_send_permission(staff_client, issue, audience):
    audience(confirmed=1)
    assert staff_client.get(send_url(issue)).status_code == 200
    assert "Send now" not in staff_client.get(send_url(issue)).content.decode()
    assert "Send to" not in staff_client.get(send_url(issue) + "?confirm=send").content.decode()
    for action in ["start", "pause", "resume", "cancel", "schedule"]:
        response = staff_client.post(send_url(issue, action))
        # Wagtail answers a refused permission with a redirect to the dashboard and a message.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Issue.objects.get(pk=issue.pk).status == "draft" and not Delivery.objects.exists()


def test_readers_get_nothing(client, issue):
    for action in ["", "preview", "progress"]:
        response = client.get(send_url(issue, action))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(send_url(issue, "start")).status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == "draft"


def test_editors_see_the_suppression_list_with_reasons_and_lift_one(editor_client):
    suppression = Suppression.suppress(
        "Gone@Example.org", Suppression.Reason.BOUNCED, "mailgun", "5.1.1 no mailbox"
    )
    html = editor_client.get("/admin/snippets/newsletters/suppression/").content.decode()
    assert "gone@example.org" in html and "Bounced" in html and "mailgun" in html
    editor_client.post(f"/admin/snippets/newsletters/suppression/delete/{suppression.pk}/")
    assert not Suppression.objects.exists()


def test_an_unknown_action_is_not_found_and_changes_nothing(editor_client, issue, audience):
    audience(confirmed=1)
    assert editor_client.post(send_url(issue, "explode")).status_code == 404
    assert Issue.objects.get(pk=issue.pk).status == "draft" and not Delivery.objects.exists()
