"""The podcast feed of narrated articles: RSS 2.0 with the iTunes tags podcast apps read."""

from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape

from newsdesk.core import access
from newsdesk.core.links import absolute_url
from newsdesk.core.xml import xml_safe
from newsdesk.syndication.feeds import FEED_ITEMS, ArticleFeed

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
EPISODE_ARTWORK_SPEC = "fill-1400x1400|format-jpeg"


def itunes_duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


class PodcastFeedGenerator(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["author_name"])
        handler.addQuickElement("itunes:summary", feed["description"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:image", attrs={"href": feed["artwork"]})
        handler.addQuickElement("itunes:category", attrs={"text": "News"})
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["author_name"])
        handler.endElement("itunes:owner")
        handler.startElement("image", {})
        handler.addQuickElement("url", feed["artwork"])
        handler.addQuickElement("title", feed["title"])
        handler.addQuickElement("link", feed["link"])
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", item["duration"])
        handler.addQuickElement("itunes:summary", item["summary"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:episodeType", "full")
        if item["artwork"]:
            handler.addQuickElement("itunes:image", attrs={"href": item["artwork"]})


class PodcastFeed(ArticleFeed):
    """A listing's narrated articles, newest first, each an episode whose enclosure is its MP3."""

    def __init__(self, request):
        super().__init__(request, "rss")
        self.feed_type = PodcastFeedGenerator

    def title(self, listing):
        return xml_safe(f"{self.newsroom.name}: {listing.title}, read aloud")

    def description(self, listing):
        return xml_safe(
            f"{listing.description or self.newsroom.tagline or listing.title}. "
            "Each story read by a synthetic voice from its text."
        )

    def author_name(self, listing):
        return xml_safe(self.newsroom.name)

    def items(self, listing):
        narrated = (
            listing.articles.filter(narration__enabled=True)
            .exclude(narration__audio="")
            .select_related("narration")
            .prefetch_related("bylines__contributor", "tags")[:FEED_ITEMS]
        )
        # A podcast app fetches as nobody: a gated story's audio is not for it.
        return [article for article in narrated if not access.is_gated(article)]

    def item_description(self, article):
        return escape(xml_safe(article.standfirst or article.title))

    def item_enclosures(self, article):
        narration = article.narration
        return [
            Enclosure(absolute_url(narration.audio_url), str(narration.audio_bytes), "audio/mpeg")
        ]

    def feed_extra_kwargs(self, listing):
        return {"artwork": absolute_url(reverse("podcast_artwork"))}

    def item_extra_kwargs(self, article):
        artwork = (
            article.lead_image.get_rendition(EPISODE_ARTWORK_SPEC).url if article.lead_image else ""
        )
        return {
            "duration": itunes_duration(article.narration.duration),
            "summary": xml_safe(article.standfirst or article.title),
            "artwork": absolute_url(artwork) if artwork else "",
        }
