"""Complimentary memberships from the command line and the admin, in the audit log with who gave them."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from newsdesk.members import log_actions
from newsdesk.members.models import Member, Membership

pytestmark = pytest.mark.django_db


def test_the_command_grants_a_tier_until_a_day(tiers, capsys):
    call_command("grant_membership", "Guest@Example.org", "patron", "--until", "2099-12-31")
    member = Member.objects.get()
    membership = member.membership
    assert member.email == "Guest@example.org"
    assert membership.tier == tiers["patron"] and membership.source == Membership.Source.COMP
    assert timezone.localtime(membership.ends_at).date() == date(2099, 12, 31)
    assert "complimentary until 2099-12-31" in capsys.readouterr().out
    entry = ModelLogEntry.objects.get(action=log_actions.GRANT)
    assert entry.user is None and entry.data["tier"] == "Patron"


def test_a_grant_replaces_the_current_membership(tiers):
    call_command("grant_membership", "guest@example.org", "supporter")
    call_command("grant_membership", "guest@example.org", "patron")
    member = Member.objects.get()
    assert member.membership.tier == tiers["patron"] and member.membership.ends_at is None
    statuses = list(member.memberships.values_list("tier__slug", "status"))
    assert statuses == [("patron", "active"), ("supporter", "cancelled"), ("free", "cancelled")]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["not-an-address", "patron"], "EMAIL"),
        (["guest@example.org", "gold"], "TIER_SLUG is one of: free, supporter, patron"),
        (["guest@example.org", "patron", "--until", "next week"], "YYYY-MM-DD"),
        (["guest@example.org", "patron", "--until", "2001-01-01"], "must end in the future"),
    ],
)
def test_bad_arguments_name_what_was_expected_and_store_nothing(tiers, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant_membership", *arguments)
    assert (
        not Member.objects.exists()
        and not ModelLogEntry.objects.filter(action__startswith="members.").exists()
    )


def test_staff_grant_from_the_admin_under_their_name(editor_client, tiers):
    response = editor_client.get("/admin/snippets/members/member/")
    assert response.status_code == 200 and "/admin/members/grant/" in response.content.decode()
    response = editor_client.post(
        "/admin/members/grant/",
        {"email": "guest@example.org", "tier": "supporter", "until": "2099-06-30"},
    )
    assert response.status_code == 302
    membership = Member.objects.get().membership
    assert membership.tier == tiers["supporter"] and membership.source == "comp"
    entry = ModelLogEntry.objects.get(action=log_actions.GRANT)
    assert entry.user.username == "chief"
    history = editor_client.get(f"/admin/snippets/members/member/history/{membership.member.pk}/")
    assert "Granted Supporter until" in history.content.decode()
    inspect = editor_client.get(f"/admin/snippets/members/member/inspect/{membership.member.pk}/")
    page = inspect.content.decode()
    assert "<td>Supporter</td>" in page and "<td>Complimentary</td>" in page
    assert "2099-06-30" in page


def test_the_admin_refuses_a_past_day_and_a_bad_address(editor_client, tiers):
    for data, problem in [
        ({"email": "guest@example.org", "tier": "patron", "until": "2001-01-01"}, "from today on"),
        ({"email": "guest", "tier": "patron"}, "correct email address"),
    ]:
        response = editor_client.post("/admin/members/grant/", data)
        assert response.status_code == 400 and problem in response.content.decode()
    assert not Member.objects.exists()


def test_staff_without_the_right_cannot_grant(client, tiers, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("writer", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.post("/admin/members/grant/", {"email": "g@example.org", "tier": "patron"})
    assert response.status_code in (302, 403) and not Member.objects.exists()


def test_the_members_list_searches_filters_and_exports(editor_client, tiers):
    call_command("grant_membership", "patron@example.org", "patron")
    call_command("grant_membership", "supporter@example.org", "supporter")
    url = "/admin/snippets/members/member/"
    page = editor_client.get(url, {"q": "patron@"}).content.decode()
    assert "patron@example.org" in page and "supporter@example.org" not in page
    page = editor_client.get(url, {"tier": tiers["supporter"].pk}).content.decode()
    assert "supporter@example.org" in page and "patron@example.org" not in page
    page = editor_client.get(url, {"status": "lapsed"}).content.decode()
    assert "supporter@example.org" not in page and "patron@example.org" not in page
    response = editor_client.get(url, {"export": "csv"})
    csv = b"".join(response.streaming_content).decode()
    assert csv.splitlines()[0].startswith("Email,Tier,Status,Source,Ends")
    assert "patron@example.org,Patron,active,comp" in csv


def test_members_are_not_added_or_edited_by_hand(editor_client, tiers):
    call_command("grant_membership", "guest@example.org", "patron")
    member = Member.objects.get()
    assert editor_client.get("/admin/snippets/members/member/add/").status_code in (302, 403)
    assert editor_client.get(f"/admin/snippets/members/member/edit/{member.pk}/").status_code in (
        302,
        403,
    )


def test_editors_make_tiers_and_gate_a_story_in_the_admin(
    editor_client, tiers, publish_article, django_capture_on_commit_callbacks
):
    story = publish_article(
        "Council papers",
        body=[{"type": "paragraph", "value": f"<p>Part {n}.</p>"} for n in range(1, 6)],
    )
    assert editor_client.get("/admin/snippets/members/tier/").status_code == 200
    response = editor_client.post(
        "/admin/snippets/members/tier/add/",
        {
            "name": "Insider",
            "slug": "insider",
            "description": "",
            "benefits": "Everything",
            "currency": "EUR",
            "monthly_price": "800",
            "yearly_price": "8000",
            "active": "on",
            "sort_order": "3",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = editor_client.post(
        "/admin/snippets/members/tier/add/",
        {
            "name": "Cheap",
            "slug": "cheap",
            "currency": "EUR",
            "monthly_price": "100",
            "yearly_price": "0",
            "sort_order": "4",
        },
    )
    assert (
        response.status_code == 200
        and "needs a monthly and a yearly price" in response.content.decode()
    )
    assert editor_client.get("/admin/snippets/members/storyaccess/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/snippets/members/storyaccess/add/",
            {"page": story.pk, "level": "tiers", "tiers": [tiers["patron"].pk]},
        )
    assert response.status_code == 302
    from django.test import Client

    page = Client().get(story.url).content.decode()
    assert "Part 3." in page and "Part 4." not in page and "members of Patron" in page
