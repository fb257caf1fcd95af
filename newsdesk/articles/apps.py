import logging

from django.apps import AppConfig

# What a person running the site hears about (`newsdesk run` shows this logger).
events = logging.getLogger("newsdesk.events")


def announce_published(sender, instance, **kwargs):
    events.info("Published “%s”: %s", instance.title, instance.full_url)


def make_its_renditions(sender, instance, **kwargs):
    """A picture's renditions are made when it is uploaded; a story may choose one uploaded before
    the pages asked for the sizes they ask now, which the worker makes before readers come."""
    from newsdesk.images.tasks import make_renditions_later

    body_pictures = [
        block["value"]["image"] for block in instance.body.raw_data if block["type"] == "image"
    ]
    make_renditions_later([instance.lead_image_id, *body_pictures])


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.db.models.signals import pre_save
        from django.urls import reverse
        from taggit.models import Tag
        from wagtail.signals import page_published

        from newsdesk.articles import pagecache
        from newsdesk.articles.models import SHARE_IMAGE_SPEC, ArticlePage
        from newsdesk.core import bundles, slots
        from newsdesk.core.pagecache import cache_pages, cache_view, page_tag, purge_paths
        from newsdesk.core.renewal import renews, shows_pages
        from newsdesk.images import pictures
        from newsdesk.people.models import Contributor

        pre_save.connect(pagecache.remember_listings, sender=ArticlePage)
        page_published.connect(
            announce_published, sender=ArticlePage, dispatch_uid="articles_announce_published"
        )
        page_published.connect(
            make_its_renditions, sender=ArticlePage, dispatch_uid="articles_make_renditions"
        )
        # The story cards' pictures (articles/includes/story_card.html): the front page's
        # lead, the compact one beside a headline, the grid's; and the share image.
        pictures.offer("lead card", "format-{webp,jpeg} fill-{480x270,800x450,1200x675,1600x900}")
        pictures.offer("compact card", "format-{webp,jpeg} fill-{160x90,320x180}")
        pictures.offer("card", "format-{webp,jpeg} fill-{320x180,480x270,640x360,800x450}")
        pictures.offer("share", SHARE_IMAGE_SPEC)
        shows_pages(pagecache.listings_showing)
        renews(Tag, pagecache.tag_renews)
        renews(Contributor, pagecache.contributor_renews)
        # An article ends with its section's newest stories: publishing one renews the section.
        cache_pages(
            lambda page: {page_tag(page.section)} if isinstance(page, ArticlePage) else set()
        )
        cache_view("tag", lambda kwargs: [f"tag:{kwargs['slug'].lower()}"])
        cache_view("author", lambda kwargs: [f"author:{kwargs['slug']}"])
        for kind in ("tag", "author"):
            purge_paths(kind, lambda slug, kind=kind: [reverse(kind, kwargs={"slug": slug})])
        slots.fill("navigation", "articles/includes/navigation.html")
        bundles.SCRIPT.add("articles/js/share.js")
