"""Arranging the front page: the lead and top stories (the home page's own) and the Editors' Picks, saved at once.

The home page's stories stay the home page's: arranging them publishes a new
revision of it, so its history and its editor show the same order, and
publishing renews the kept front page (core/renewal.py). The picks are the
site's setting, which renews every page's rail when saved.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.home.models import HomeFeaturedStory, HomePage

ARRANGE = "home.arrange_front_page"
MOST_STORIES = (
    30  # per list: more than a front page shows, fewer than a form could carry by mistake
)


def live_stories(ids: list[int]) -> list[ArticlePage]:
    """The live stories of ids, in that order; an error names the first one that is not."""
    if len(ids) > MOST_STORIES:
        raise ValidationError(f"A list holds at most {MOST_STORIES} stories.")
    if len(set(ids)) != len(ids):
        raise ValidationError("A story is in the same list twice.")
    found = ArticlePage.objects.live().public().in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError("A story chosen is no longer published: reload the page.")
    return [found[pk] for pk in ids]


@transaction.atomic
def arrange(user: AbstractBaseUser, site: Site, story_ids: list[int], pick_ids: list[int]) -> None:
    """The front page's stories (the first leads) and the Editors' Picks, in these orders."""
    stories, picks = live_stories(story_ids), live_stories(pick_ids)
    home = HomePage.objects.get()
    home.featured_stories = [
        HomeFeaturedStory(article=story, sort_order=n) for n, story in enumerate(stories)
    ]
    home.save_revision(user=user, log_action=True).publish(user=user)
    editors_picks = EditorsPicks.for_site(site)
    editors_picks.picks = [
        EditorsPick(article=story, sort_order=n) for n, story in enumerate(picks)
    ]
    editors_picks.save()
    log(home, ARRANGE, user=user, data={"stories": story_ids, "picks": pick_ids})
