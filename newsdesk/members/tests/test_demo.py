"""The demo newsroom's membership: a free and two paid tiers, a story for members, payments not set up."""

import pytest

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.loader import load_demo
from newsdesk.members.models import StoryAccess, Tier

pytestmark = pytest.mark.django_db


def test_the_demo_has_tiers_and_a_story_for_members(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert load_demo()["tiers"] == 2
    assert list(Tier.objects.values_list("slug", "is_free")) == [
        ("free", True),
        ("supporter", False),
        ("patron", False),
    ]
    rule = StoryAccess.objects.get()
    story = ArticlePage.objects.get(pk=rule.page_id)
    page = client.get(story.url).content.decode()
    assert "The rest of this story is for members" in page
    last_paragraph = [block for block in story.body if block.block_type == "paragraph"][-1]
    assert str(last_paragraph.value.source)[3:60] not in page
    membership = client.get("/membership/").content.decode()
    assert "€5.00 a month" in membership and "€15.00 a month" in membership
    assert "Payments are not set up yet" in membership


def test_the_demo_has_a_newsletter_for_members_with_an_issue(client):
    from newsdesk.members.models import NewsletterAccess

    load_demo()
    rule = NewsletterAccess.objects.select_related("newsletter").get()
    assert rule.level == NewsletterAccess.Level.MEMBERS
    issue = rule.newsletter.issues.get()
    assert issue.stories.get().article.slug == "river-sela-microplastics-study"
    page = client.get("/newsletters/").content.decode()
    assert "Inside the Newsroom" in page and "For members." in page
    assert 'value="inside-the-newsroom"' not in page
    assert client.get(f"/newsletters/{rule.newsletter.slug}/archive/").status_code == 404
