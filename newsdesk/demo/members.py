"""The demo newsroom's membership: two paid tiers beside the free one, and a story for members."""

from newsdesk.articles.models import ArticlePage
from newsdesk.members.models import StoryAccess, Tier

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


def load_demo_members():
    """The paid tiers (the free one comes with the migrations) and one story for members."""
    tiers = [Tier.objects.create(currency="EUR", **item) for item in TIERS]
    story = ArticlePage.objects.filter(slug=MEMBERS_STORY).first()
    if story is not None:
        StoryAccess.objects.create(page=story, level=StoryAccess.Level.MEMBERS)
    return tiers
