from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.models import Page, Site

from newsdesk.articles.models import ArticlePage, published_articles
from newsdesk.core.links import absolute_url

NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most this many


class PublicSiteSitemap(Sitemap):
    """Locations on the public site URL (NEWSDESK_SITE_URL), whatever host the request came to."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.NEWSDESK_SITE_URL).scheme

    def get_domain(self, site: Site | None = None) -> str:
        return urlsplit(settings.NEWSDESK_SITE_URL).netloc

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate query, where Django's default would load every item.
        return self.items().order_by().aggregate(latest=Max("last_published_at"))["latest"]

    @cached_property
    def root(self) -> Page:
        return Site.objects.select_related("root_page").get(is_default_site=True).root_page

    def path_of(self, url_path: str) -> str:
        # What Page.url gives, from the stored tree path: Page.url asks the cache for
        # the site's root paths on every call, thousands of times per sitemap.
        return url_path[len(self.root.url_path) - 1 :]


class PagesSitemap(PublicSiteSitemap):
    """Every public page of the site, 5,000 to a sitemap page, streamed row by row."""

    limit = 5000

    def items(self) -> QuerySet:
        return (
            Page.objects.live()
            .public()
            .descendant_of(self.root, inclusive=True)
            .order_by("path")
            .values_list("url_path", "last_published_at")
        )

    def location(self, item: tuple[str, datetime | None]) -> str:
        return self.path_of(item[0])

    def stream(self, rows: QuerySet) -> Iterator[str]:
        """The XML of one sitemap page, built as the rows arrive, so memory stays flat however big the archive."""
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for url_path, last_published_at in rows.iterator(chunk_size=1000):
            lastmod = (
                f"<lastmod>{last_published_at.isoformat(timespec='seconds')}</lastmod>"
                if last_published_at
                else ""
            )
            yield f"  <url><loc>{escape(absolute_url(self.path_of(url_path)))}</loc>{lastmod}</url>\n"
        yield "</urlset>\n"


class NewsSitemap(PublicSiteSitemap):
    """Stories of the last 48 hours, for Google News."""

    limit = NEWS_SITEMAP_LIMIT

    def items(self) -> QuerySet:
        since = timezone.now() - timedelta(hours=NEWS_SITEMAP_HOURS)
        return published_articles().filter(first_published_at__gte=since).defer_streamfields()

    def location(self, article: ArticlePage) -> str:
        return self.path_of(article.url_path)

    def lastmod(self, article: ArticlePage) -> datetime | None:
        return article.last_published_at


SITEMAPS = {"pages": PagesSitemap, "news": NewsSitemap}
