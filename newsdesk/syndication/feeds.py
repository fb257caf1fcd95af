"""RSS 2.0 and Atom feeds: every listing of articles, and the news feed."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from newsdesk.articles import listings
from newsdesk.articles.listings import Listing
from newsdesk.articles.models import ArticlePage
from newsdesk.articles.text import body_passages
from newsdesk.core.access import open_body
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.core.xml import xml_safe
from newsdesk.feed.models import NewsItem

FEED_ITEMS = 30


class RssWithLogo(Rss201rev2Feed):
    """RSS 2.0 with the newsroom's logo as the channel's image, where it has one."""

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("logo"):
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["logo"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")


class AtomWithLogo(Atom1Feed):
    """Atom with the newsroom's logo as the feed's logo, where it has one."""

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("logo"):
            handler.addQuickElement("logo", self.feed["logo"])


FEED_TYPES = {"rss": RssWithLogo, "atom": AtomWithLogo}


def full_text_html(article: ArticlePage) -> str:
    """The story's words as simple HTML (a gated story's open part); page furniture stays on the website."""
    parts = []
    for passage in body_passages(open_body(article)):
        text = escape(xml_safe(passage.text))
        if passage.kind == "heading":
            parts.append(f"<h2>{text}</h2>")
        elif passage.kind == "quote":
            cite = (
                f"<footer>{escape(xml_safe(passage.attribution))}</footer>"
                if passage.attribution
                else ""
            )
            parts.append(f"<blockquote><p>{text}</p>{cite}</blockquote>")
        else:
            parts.append(f"<p>{text}</p>")
    return "\n".join(parts)


class NewsroomFeed(Feed):
    """A feed in RSS 2.0 or Atom, with links on the public site URL.

    Made anew for each request (see views.py), so it may keep the request's details.
    """

    def __init__(self, request: HttpRequest, feed_format: str) -> None:
        super().__init__()
        self.feed_type = FEED_TYPES[feed_format]
        self.newsroom = NewsroomSettings.for_request(request)
        self.own_url = absolute_url(request.path)

    def feed_url(self) -> str:
        return self.own_url

    def feed_extra_kwargs(self, obj: object) -> dict:
        logo = self.newsroom.logo
        # RSS readers show a channel image up to 144 px wide.
        return {
            "logo": absolute_url(logo.get_rendition("max-144x144|format-png").url) if logo else ""
        }


class ArticleFeed(NewsroomFeed):
    def get_object(
        self, request: HttpRequest, kind: str = "all", slug: str | None = None
    ) -> Listing:
        return listings.everything() if kind == "all" else listings.listing(kind, slug)

    def title(self, listing: Listing) -> str:
        return xml_safe(f"{self.newsroom.name}: {listing.title}")

    def link(self, listing: Listing) -> str:
        return absolute_url(listing.url)

    def description(self, listing: Listing) -> str:
        return xml_safe(listing.description or self.newsroom.tagline or listing.title)

    subtitle = description

    def items(self, listing: Listing) -> QuerySet:
        return listing.articles.prefetch_related("bylines__contributor", "tags")[:FEED_ITEMS]

    def item_title(self, article: ArticlePage) -> str:
        return xml_safe(article.title)

    def item_description(self, article: ArticlePage) -> str:
        if self.newsroom.feeds_full_text:
            return full_text_html(article)
        return escape(xml_safe(article.standfirst))

    def item_link(self, article: ArticlePage) -> str:
        return absolute_url(article.url)

    def item_pubdate(self, article: ArticlePage) -> datetime:
        return article.first_published_at

    def item_updateddate(self, article: ArticlePage) -> datetime:
        return article.last_published_at

    def item_author_name(self, article: ArticlePage) -> str | None:
        return xml_safe(", ".join(contributor.name for contributor in article.contributors)) or None

    def item_categories(self, article: ArticlePage) -> list[str]:
        return [xml_safe(tag.name) for tag in article.tags.all()]


class NewsItemFeed(NewsroomFeed):
    def title(self) -> str:
        return xml_safe(f"{self.newsroom.name}: News feed")

    def link(self) -> str:
        return absolute_url(reverse("news"))

    def description(self) -> str:
        return "Short news as it happens, newest first."

    subtitle = description

    def items(self) -> QuerySet:
        return NewsItem.objects.published()[:FEED_ITEMS]

    def item_title(self, item: NewsItem) -> str:
        return xml_safe(item.headline)

    def item_description(self, item: NewsItem) -> str:
        return escape(xml_safe(item.summary))

    def item_link(self, item: NewsItem) -> str:
        return absolute_url(item.link or f"{reverse('news')}#item-{item.pk}")

    def item_guid(self, item: NewsItem) -> str:
        return absolute_url(f"{reverse('news')}#item-{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem) -> datetime:
        return item.first_published_at
