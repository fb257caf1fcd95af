"""A large synthetic archive, for scale tests and benchmarks.

Pages are written in bulk, with their tree paths computed here, because
adding 100,000 pages one by one through Wagtail would take hours. What is
written is what publishing would leave: live pages with bylines, tags and a
body, and news feed items.
"""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page

from newsdesk.articles.models import ArticleByline, ArticlePage, ArticlePageTag, SectionPage
from newsdesk.articles.text import reading_minutes
from newsdesk.feed.models import NewsItem
from newsdesk.home.models import HomePage
from newsdesk.people.models import Contributor
from newsdesk.search import engine

BATCH = 1000
WORDS = [
    "city",
    "council",
    "budget",
    "grid",
    "power",
    "station",
    "repair",
    "bridge",
    "tram",
    "river",
    "school",
    "hospital",
    "water",
    "heating",
    "market",
    "district",
    "mayor",
    "residents",
    "engineers",
    "volunteers",
    "theatre",
    "match",
    "season",
    "report",
    "inspection",
    "shelter",
    "transformer",
    "storm",
    "winter",
    "spring",
    "plan",
    "vote",
    "committee",
    "funding",
    "contract",
    "project",
    "crews",
    "morning",
    "evening",
    "week",
    "month",
    "year",
    "street",
    "square",
    "embankment",
    "harbour",
    "station",
    "museum",
    "library",
    "teachers",
    "doctors",
    "drivers",
    "pupils",
    "families",
    "workers",
    "visitors",
    "officials",
    "experts",
    "researchers",
]
SECTIONS = ["City", "Energy", "Health", "Culture", "Sport"]
# Every story also names a place, one of 225, so that some words are as rare in the
# archive as a place or a person is in a real one (each in about 1 story in 200).
SYLLABLES = [
    "var",
    "holm",
    "tal",
    "brin",
    "ost",
    "mer",
    "kel",
    "dun",
    "ash",
    "ford",
    "wick",
    "lan",
    "rey",
    "mont",
    "sel",
]
PLACES = [(first + second).capitalize() for first in SYLLABLES for second in SYLLABLES]


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def ensure_sections(home: HomePage) -> list[SectionPage]:
    sections = list(SectionPage.objects.live().child_of(home))
    for title in SECTIONS[len(sections) :] if len(sections) < 3 else []:
        section = home.add_child(instance=SectionPage(title=title, slug=slugify(title)))
        section.save_revision().publish()
        sections.append(section)
    return sections


def ensure_contributors(rng: random.Random, wanted: int = 20) -> list[Contributor]:
    contributors = list(Contributor.objects.all())
    for number in range(len(contributors), wanted):
        contributors.append(
            Contributor.objects.create(
                name=f"Archive Reporter {number + 1}",
                slug=f"archive-reporter-{number + 1}",
                role="Reporter",
                bio="Writes for the synthetic archive.",
            )
        )
    return contributors


def ensure_tags(count: int = 50) -> list[Tag]:
    return [
        Tag.objects.get_or_create(name=f"topic {n}", defaults={"slug": f"topic-{n}"})[0]
        for n in range(count)
    ]


def next_step(section: SectionPage) -> int:
    last = section.get_last_child()
    return int(last.path[-Page.steplen :], 36) + 1 if last else 1


def article_rows(
    rng: random.Random,
    section: SectionPage,
    numbers: Sequence[int],
    content_type: ContentType,
    now: datetime,
    spread: int,
) -> list[tuple[Page, dict]]:
    """Unsaved Page rows and the ArticlePage fields that go with each."""
    step = next_step(section)
    rows = []
    for offset, number in enumerate(numbers):
        title = sentence(rng, 5, 11).rstrip(".")
        slug = f"{slugify(title)[:50]}-{number}"
        published = now - timedelta(seconds=rng.randint(60, spread))
        body = [
            {"type": "paragraph", "value": f"<p>{paragraph(rng)}</p>"}
            for _ in range(rng.randint(4, 8))
        ]
        page = Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=Page._get_path(section.path, section.depth + 1, step + offset),
            depth=section.depth + 1,
            numchild=0,
            url_path=f"{section.url_path}{slug}/",
            locale_id=section.locale_id,
            live=True,
            first_published_at=published,
            last_published_at=published,
            latest_revision_created_at=published,
        )
        words = sum(len(block["value"].split()) for block in body)
        standfirst = f"{sentence(rng).rstrip('.')} in {rng.choice(PLACES)}."
        rows.append(
            (page, {"standfirst": standfirst, "body": body, "reading_time": reading_minutes(words)})
        )
    return rows


def generate_archive(
    articles: int, feed_items: int | None = None, seed: int = 1, search_index: bool = True
) -> dict[str, int]:
    counts = write_archive(articles, feed_items, seed)
    if search_index:
        # The admin's search (Wagtail's index) and the readers' (the search app's).
        call_command("update_index", verbosity=0)
        engine.rebuild()
    # Until autovacuum gets round to it, the planner would still think the tables
    # small, and choose scans that take tenths of seconds at 100,000 articles.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


@transaction.atomic
def write_archive(articles: int, feed_items: int | None, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    home = HomePage.objects.get()
    sections = ensure_sections(home)
    contributors = ensure_contributors(rng)
    tags = ensure_tags()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    spread = max(3600, articles * 3600 // 50)  # about fifty stories a day

    for section_index, section in enumerate(sections):
        numbers = list(range(section_index, articles, len(sections)))
        for start in range(0, len(numbers), BATCH):
            rows = article_rows(
                rng, section, numbers[start : start + BATCH], content_type, now, spread
            )
            pages = Page.objects.bulk_create([page for page, _ in rows])
            for page, fields in zip(pages, [fields for _, fields in rows], strict=False):
                # raw=True writes only the article's own table, under the page row just made.
                ArticlePage(page_ptr_id=page.pk, **fields).save_base(raw=True, force_insert=True)
            ArticleByline.objects.bulk_create(
                ArticleByline(page_id=page.pk, contributor=rng.choice(contributors), sort_order=0)
                for page in pages
            )
            ArticlePageTag.objects.bulk_create(
                ArticlePageTag(content_object_id=page.pk, tag=tag)
                for page in pages
                for tag in rng.sample(tags, rng.randint(1, 3))
            )
            Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(pages))
            section.refresh_from_db()

    feed_items = articles // 2 if feed_items is None else feed_items
    NewsItem.objects.bulk_create(
        (
            NewsItem(
                headline=sentence(rng, 5, 10).rstrip("."),
                summary=sentence(rng),
                live=True,
                first_published_at=now - timedelta(seconds=rng.randint(60, spread)),
            )
            for _ in range(feed_items)
        ),
        batch_size=BATCH,
    )
    return {"articles": articles, "feed_items": feed_items, "sections": len(sections)}
