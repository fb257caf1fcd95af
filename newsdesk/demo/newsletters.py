"""The demo newsroom's newsletters, and a signup block in one of its stories."""

from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters.models import Newsletter
from newsdesk.people.models import Contributor

NEWSLETTERS = [
    {
        "slug": "morning-briefing",
        "name": "The Morning Briefing",
        "description": "The five stories that matter before your first coffee, and what to watch for today.",
        "cadence": "Every weekday morning",
        "sender_name": "The Morning Briefing",
        "sender_address": "briefing@newsdesk.example",
    },
    {
        "slug": "explainer",
        "name": "Explaining the City",
        "description": "One question about how the city works, answered in plain words.",
        "cadence": "Every Thursday",
        "sender_name": "Explaining the City",
        "sender_address": "explainer@newsdesk.example",
    },
    {
        "slug": "weekend-reads",
        "name": "Weekend Reads",
        "description": "Our longest stories of the week and the people behind them.",
        "cadence": "Saturday mornings",
        "sender_name": "Weekend Reads",
        "sender_address": "weekend@newsdesk.example",
    },
]


def load_demo_newsletters():
    """Three newsletters hosted by the demo's people, and a signup block in the newest story."""
    hosts = list(Contributor.objects.filter(kind=Contributor.Kind.PERSON).order_by("pk"))
    newsletters = [
        Newsletter.objects.create(
            host=hosts[number % len(hosts)], reply_to="letters@newsdesk.example", **item
        )
        for number, item in enumerate(NEWSLETTERS)
    ]
    story = ArticlePage.objects.live().order_by("-first_published_at").first()
    if story is not None:
        published = {
            "first_published_at": story.first_published_at,
            "last_published_at": story.last_published_at,
        }
        signup = {
            "heading": "Start your day with us",
            "newsletters": [newsletters[0].pk, newsletters[1].pk],
        }
        body = list(story.body.raw_data)
        body.insert(min(2, len(body)), {"type": "newsletter_signup", "value": signup})
        story.body = body
        story.save_revision().publish()
        # Adding the block is part of making the demo, not an update readers should see.
        ArticlePage.objects.filter(pk=story.pk).update(**published)
    return newsletters
