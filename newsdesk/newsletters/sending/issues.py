"""Composing an issue: which stories it carries, and the email and web versions everyone gets.

The email is rendered once per issue. Links that name the reader
(unsubscribe, preferences) are placeholders here; messages.py puts each
recipient's own into a copy, so a send to 100,000 renders no template.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import css_inline
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from newsdesk.articles.models import ArticlePage, published_articles
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.core.sanitise import sanitise_rich_text
from newsdesk.newsletters.models import Issue, IssueStory, Newsletter

UNSUBSCRIBE_PLACEHOLDER = "NEWSDESK-UNSUBSCRIBE-URL"
PREFERENCES_PLACEHOLDER = "NEWSDESK-PREFERENCES-URL"
AUTO_STORIES = 10
DEFAULT_SINCE = timedelta(hours=24)
# Pictures at twice the size the email shows them (the 600 px sheet less its margins), for sharp
# screens; a width and height on each <img>, since Outlook ignores CSS sizes.
LEAD_IMAGE = ("fill-1104x621|format-jpeg|jpegquality-70", 552, 311)
THUMBNAIL = ("fill-192x192|format-jpeg|jpegquality-70", 96, 96)
LOGO = ("max-480x96|format-png", 240, 48)
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_ACCENT = "#a3001b"


def previous_issue(newsletter: Newsletter, before: Issue | None = None) -> Issue | None:
    issues = Issue.objects.filter(newsletter=newsletter, started_at__isnull=False)
    if before is not None and before.pk:
        issues = issues.exclude(pk=before.pk)
    return issues.order_by("-started_at").first()


def latest_articles(
    newsletter: Newsletter, since: datetime | None = None, exclude_issue: Issue | None = None
) -> list[ArticlePage]:
    """The newest published stories since the newsletter's previous issue (or the last day)."""
    if since is None:
        previous = previous_issue(newsletter, before=exclude_issue)
        since = previous.started_at if previous else timezone.now() - DEFAULT_SINCE
    return list(published_articles().filter(first_published_at__gt=since)[:AUTO_STORIES])


def stories_of(issue: Issue) -> list[ArticlePage]:
    """The stories an editor picked, in their order; or, when none were picked, the latest."""
    picked = [story.article for story in issue.stories.all()]
    return picked or latest_articles(issue.newsletter, exclude_issue=issue)


@transaction.atomic
def build_issue(
    newsletter: Newsletter, subject: str | None = None, since_hours: float | None = None
) -> Issue:
    """An issue of the latest stories, as `newsdesk send_newsletter` makes it; stores nothing if there are none."""
    since = timezone.now() - timedelta(hours=since_hours) if since_hours is not None else None
    articles = latest_articles(newsletter, since)
    if not articles:
        raise ValidationError(
            f"No stories have been published for {newsletter.name} since its previous issue."
        )
    subject = subject or f"{newsletter.name}: {articles[0].title}"
    issue = Issue(newsletter=newsletter, subject=subject)
    issue.full_clean()
    issue.save()
    add_stories(issue, articles)
    return issue


def add_stories(issue: Issue, articles: list[ArticlePage]) -> None:
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=article, sort_order=order)
        for order, article in enumerate(articles)
    )


@dataclass(frozen=True)
class Picture:
    url: str
    alt: str
    width: int
    height: int


def _picture(image, size) -> Picture | None:
    """The image's rendition, shown within the size's box with its own proportions (a logo's vary)."""
    if not image:
        return None
    spec, box_width, box_height = size
    rendition = image.get_rendition(spec)
    scale = min(box_width / rendition.width, box_height / rendition.height)
    return Picture(
        absolute_url(rendition.url),
        getattr(image, "alt_text", ""),
        round(rendition.width * scale),
        round(rendition.height * scale),
    )


@dataclass(frozen=True)
class Story:
    title: str
    standfirst: str
    url: str
    picture: Picture | None


def _story(article, size):
    return Story(
        article.title,
        article.standfirst,
        absolute_url(article.url),
        _picture(article.lead_image, size),
    )


def _masthead(newsroom) -> dict:
    """The newsroom's name, and its logo and accent colour where Settings → Newsroom has them."""
    accent = getattr(newsroom, "accent_colour", "") or ""
    logo = _picture(getattr(newsroom, "logo", None), LOGO)
    return {
        "name": newsroom.name if newsroom else "",
        "logo": logo,
        # Only a plain hex colour reaches the email's style attributes.
        "accent": accent if HEX_COLOUR.fullmatch(accent) else DEFAULT_ACCENT,
    }


def _context(issue, personal):
    site = Site.objects.filter(is_default_site=True).first()
    newsroom = NewsroomSettings.for_site(site) if site else None
    intro = sanitise_rich_text(expand_db_html(issue.intro)) if issue.intro else ""
    lead, *rest = stories_of(issue) or [None]
    lead_story = _story(lead, LEAD_IMAGE) if lead else None
    more = [_story(article, THUMBNAIL) for article in rest]
    return {
        "issue": issue,
        "newsletter": issue.newsletter,
        "newsroom": newsroom,
        "masthead": _masthead(newsroom),
        "intro": intro,
        "lead": lead_story,
        "more": more,
        "stories": [lead_story, *more] if lead_story else [],
        "web_url": absolute_url(issue.get_web_path()) if issue.pk else "",
        "personal": personal,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
    }


INLINER = css_inline.CSSInliner(keep_at_rules=True)


def render_email(issue: Issue) -> tuple[str, str]:
    """(HTML with inlined CSS, plain text), with placeholders for each recipient's links."""
    context = _context(issue, personal=True)
    # The dark-scheme rules stay in a <style> of their own: they cannot be inlined.
    html = INLINER.inline(render_to_string("newsletters/email/issue.html", context))
    return html, render_to_string("newsletters/email/issue.txt", context)


def without_personal_links(text: str) -> str:
    """The email for eyes other than a subscriber's: its personal links lead to the newsletters page."""
    index = absolute_url(reverse("newsletters:index"))
    return text.replace(UNSUBSCRIBE_PLACEHOLDER, index).replace(PREFERENCES_PLACEHOLDER, index)


def render_sample(issue: Issue) -> tuple[str, str]:
    """(HTML, text) as a reader would see them, for previews and tests."""
    return tuple(without_personal_links(part) for part in render_email(issue))


def web_context(issue: Issue) -> dict:
    """The public archive page of a sent issue: no personal links."""
    return _context(issue, personal=False)
