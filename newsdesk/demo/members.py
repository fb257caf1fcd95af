"""The demo newsroom's membership: two paid tiers beside the free one, a story and a newsletter for members."""

from newsdesk.articles.models import ArticlePage
from newsdesk.members.models import NewsletterAccess, StoryAccess, Tier
from newsdesk.newsletters.models import Issue, IssueStory, Newsletter
from newsdesk.people.models import Contributor

TIERS = [
    {
        "name": "Supporter",
        "slug": "supporter",
        "description": "Keep the newsroom reporting from the city, every day.",
        "benefits": "Every story, the members' ones too\nThe members' newsletter\nNo advertising, ever",
        "monthly_price": 500,
        "yearly_price": 5000,
        "sort_order": 1,
    },
    {
        "name": "Patron",
        "slug": "patron",
        "description": "Pay for a reporter's week in the districts the power cuts hit hardest.",
        "benefits": "Everything Supporters get\nA seat at the quarterly editorial meeting\nYour name on the supporters' page",
        "monthly_price": 1500,
        "yearly_price": 15000,
        "sort_order": 2,
    },
]
# The demo's investigation: its opening is for everyone, the rest for members.
MEMBERS_STORY = "river-sela-microplastics-study"
MEMBERS_NEWSLETTER = {
    "slug": "inside-the-newsroom",
    "name": "Inside the Newsroom",
    "description": "Every Friday, the editor on what we reported this week, what we got wrong, "
    "and what we are working on next.",
    "cadence": "Every Friday",
    "sender_name": "Inside the Newsroom",
    "sender_address": "inside@newsdesk.example",
    "reply_to": "editor@newsdesk.example",
}


def load_demo_members():
    """The paid tiers (the free one comes with the migrations) and one story for members."""
    tiers = [Tier.objects.create(currency="EUR", **item) for item in TIERS]
    story = ArticlePage.objects.filter(slug=MEMBERS_STORY).first()
    if story is not None:
        StoryAccess.objects.create(page=story, level=StoryAccess.Level.MEMBERS)
    _members_newsletter(story)
    return tiers


def _members_newsletter(story):
    """A newsletter for members, and its first issue, a draft to send from the admin."""
    host = Contributor.objects.filter(kind=Contributor.Kind.PERSON).order_by("pk").first()
    if host is None:
        return
    newsletter = Newsletter.objects.create(host=host, **MEMBERS_NEWSLETTER)
    NewsletterAccess.objects.create(newsletter=newsletter, level=NewsletterAccess.Level.MEMBERS)
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject="Inside the Newsroom: how we tested the river",
        preheader="For members: the week behind the microplastics study",
        intro="<p>Thank you for being a member. This week: three months of sampling the Sela, "
        "and why we waited for a second lab before publishing.</p>",
    )
    if story is not None:
        IssueStory.objects.create(issue=issue, article=story, sort_order=0)
