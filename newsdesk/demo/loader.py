"""The demo newsroom: original stories, people, sections and pictures made here."""

import io
import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from newsdesk.articles.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    SectionPage,
)
from newsdesk.core.models import NewsroomSettings
from newsdesk.curation.models import EditorsPick, EditorsPicks
from newsdesk.demo.members import load_demo_members
from newsdesk.demo.newsletters import load_demo_newsletters
from newsdesk.demo.pictures import draw_picture
from newsdesk.demo.support import load_demo_support
from newsdesk.feed.models import NewsItem
from newsdesk.home.models import HomeFeaturedStory, HomePage
from newsdesk.images.models import NewsImage
from newsdesk.images.tasks import make_renditions_of
from newsdesk.narration.tasks import narrations_as_backlog
from newsdesk.people.models import Contributor

CONTENT_FILE = Path(__file__).with_name("content.json")
DEMO_EDITOR = "editor"


def demo_needed() -> bool:
    """The demo goes only into a newsroom that has no stories yet."""
    return not ArticlePage.objects.exists()


def ensure_demo_editor(password: str = "") -> tuple[str, str | None]:
    """Creates the demo editor; returns (username, password) when a password was set now."""
    User = get_user_model()
    user = User.objects.filter(username=DEMO_EDITOR).first()
    if user is None:
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(DEMO_EDITOR, "editor@newsdesk.invalid", password)
        return DEMO_EDITOR, password
    if password and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
        return DEMO_EDITOR, password
    # Already set: not printed again at every start, into logs that outlive it.
    return DEMO_EDITOR, None


def _body(blocks, images, articles):
    """Turns the content file's blocks into stream data, resolving image keys and story slugs."""
    stream = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": images[value["image"]].pk}
        elif block["type"] == "related_story":
            value = {"article": articles[value["article"]].pk}
        stream.append({"type": block["type"], "value": value})
    return stream


def _publish(page, at):
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)


def _curate(content, home, site, articles):
    home.featured_stories = [
        HomeFeaturedStory(article=articles[slug], sort_order=n)
        for n, slug in enumerate(content["front_page"])
    ]
    home.save_revision().publish()
    picks = EditorsPicks.for_site(site)
    picks.picks = [
        EditorsPick(article=articles[slug], sort_order=n)
        for n, slug in enumerate(content["editors_picks"])
    ]
    picks.save()


def _post_news(items, articles, now):
    for item in items:
        news = NewsItem.objects.create(
            headline=item["headline"],
            summary=item["summary"],
            article=articles[item["article"]] if item["article"] else None,
            live=False,
        )
        news.save_revision().publish()
        published_at = now - timedelta(minutes=item["minutes_ago"])
        NewsItem.objects.filter(pk=news.pk).update(
            first_published_at=published_at, last_published_at=published_at
        )


@transaction.atomic
def load_demo(content_file: str | Path = CONTENT_FILE) -> dict[str, int]:
    # Readers hear the front page's stories first, then the newest, and whatever editors
    # publish goes before the demo's narration.
    with narrations_as_backlog() as first:
        counts = _load_demo(content_file)
        first.extend(HomePage.objects.get().featured_stories.values_list("article_id", flat=True))
    return counts


def _load_demo(content_file: str | Path) -> dict[str, int]:
    content = json.loads(Path(content_file).read_text(encoding="utf-8"))
    now = timezone.now()
    home = HomePage.objects.get()
    site = Site.objects.get(root_page=home)

    newsroom = NewsroomSettings.for_site(site)
    for field in ("name", "tagline", "time_zone"):
        setattr(newsroom, field, content["newsroom"][field])
    newsroom.save()

    images = {}
    for number, item in enumerate(content["images"]):
        picture = draw_picture(item["motif"], item["palette"], seed=number)
        image = NewsImage(
            title=item["title"],
            description=item["alt"],
            caption=item["caption"],
            credit=item["credit"],
        )
        image.file = ImageFile(io.BytesIO(picture), name=f"{item['key']}.jpg")
        image.save()
        # Made as the demo loads, as the worker would for an upload (its task finds them made),
        # so that no reader's first view waits for them; test_demo checks the pages need no other.
        make_renditions_of(image)
        images[item["key"]] = image

    contributors = {
        item["slug"]: Contributor.objects.create(
            slug=item["slug"],
            kind=item["kind"],
            name=item["name"],
            role=item["role"],
            bio=item["bio"],
        )
        for item in content["contributors"]
    }

    sections = {}
    for item in content["sections"]:
        section = home.add_child(
            instance=SectionPage(
                title=item["title"], slug=item["slug"], description=item["description"]
            )
        )
        section.save_revision().publish()
        sections[item["slug"]] = section

    # Stories first, bodies second: related-story cards point at stories made in the first pass.
    articles = {}
    for item in content["articles"]:
        articles[item["slug"]] = sections[item["section"]].add_child(
            instance=ArticlePage(title=item["headline"], slug=item["slug"], live=False)
        )
    for item in sorted(content["articles"], key=lambda item: -item["hours_ago"]):
        article = articles[item["slug"]]
        article.standfirst = item["standfirst"]
        article.lead_image = images[item["lead_image"]] if item["lead_image"] else None
        article.body = _body(item["body"], images, articles)
        article.tags.set(item["tags"])
        article.bylines = [
            ArticleByline(contributor=contributors[slug]) for slug in item["bylines"]
        ]
        article.corrections = [
            ArticleCorrection(published_at=now - timedelta(hours=c["hours_ago"]), text=c["text"])
            for c in item["corrections"]
        ]
        _publish(article, now - timedelta(hours=item["hours_ago"]))
        if item["corrections"]:
            corrected_at = max(correction.published_at for correction in article.corrections.all())
            ArticlePage.objects.filter(pk=article.pk).update(last_published_at=corrected_at)
    _curate(content, home, site, articles)
    _post_news(content["news_feed"], articles, now)
    newsletters = load_demo_newsletters()
    tiers = load_demo_members()
    load_demo_support()
    return {
        "articles": len(articles),
        "sections": len(sections),
        "images": len(images),
        "newsletters": len(newsletters),
        "tiers": len(tiers),
    }
