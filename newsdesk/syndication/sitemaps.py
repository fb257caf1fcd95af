from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page

from newsdesk.articles.models import published_articles

NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most this many


class PublicSiteSitemap(Sitemap):
    """Locations on the public site URL (NEWSDESK_SITE_URL), whatever host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.NEWSDESK_SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.NEWSDESK_SITE_URL).netloc

    def get_latest_lastmod(self):
        # One aggregate query, where Django's default would load every item.
        return self.items().order_by().aggregate(latest=Max("last_published_at"))["latest"]


class PagesSitemap(PublicSiteSitemap):
    limit = 5000

    def items(self):
        return Page.objects.live().public().filter(depth__gt=1).defer_streamfields().order_by("path")

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.last_published_at


class NewsSitemap(PublicSiteSitemap):
    """Stories of the last 48 hours, for Google News."""

    limit = NEWS_SITEMAP_LIMIT

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
        return published_articles().filter(first_published_at__gte=since).defer_streamfields()

    def location(self, article):
        return article.url

    def lastmod(self, article):
        return article.last_published_at


SITEMAPS = {"pages": PagesSitemap, "news": NewsSitemap}
