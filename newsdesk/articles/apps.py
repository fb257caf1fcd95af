import logging

from django.apps import AppConfig

# What a person running the site hears about (`newsdesk run` shows this logger).
events = logging.getLogger("newsdesk.events")


def announce_published(sender, instance, **kwargs):
    events.info("Published “%s”: %s", instance.title, instance.full_url)


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
        from newsdesk.articles.models import ArticlePage
        from newsdesk.core import slots
        from newsdesk.core.pagecache import cache_pages, cache_view, page_tag, purge_paths
        from newsdesk.core.renewal import renews, shows_pages
        from newsdesk.people.models import Contributor

        pre_save.connect(pagecache.remember_listings, sender=ArticlePage)
        page_published.connect(
            announce_published, sender=ArticlePage, dispatch_uid="articles_announce_published"
        )
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
