"""The lists of articles readers browse and feeds syndicate: everything, a section, a tag, an author.

A page and its feeds are built from the same Listing, so they always agree.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from taggit.models import Tag

from newsdesk.articles.models import Listing, SectionPage, published_articles
from newsdesk.people.models import Contributor


def everything() -> Listing:
    return Listing(kind="all", title="Latest stories", url="/")


def for_section(slug: str) -> Listing:
    section = SectionPage.objects.live().public().filter(slug=slug).first()
    if section is None:
        raise Http404("No such section.")
    return section.listing()


def with_published_story(subjects: QuerySet, articles: QuerySet, lookup: str) -> QuerySet:
    """Only tags and contributors of a live story: one that only drafts carry would name an embargoed story."""
    return subjects.filter(Exists(articles.filter(**{lookup: OuterRef("pk")})))


def for_tag(slug: str) -> Listing:
    articles = published_articles()
    tag = with_published_story(Tag.objects.filter(slug=slug), articles, "tagged_items__tag").first()
    if tag is None:
        raise Http404("No such tag.")
    return Listing(
        kind="tag",
        title=f"Stories tagged “{tag.name}”",
        url=reverse("tag", kwargs={"slug": slug}),
        slug=slug,
        articles=articles.filter(tagged_items__tag=tag),
        subject=tag,
    )


def for_author(slug: str) -> Listing:
    articles = published_articles()
    contributor = with_published_story(
        Contributor.objects.filter(slug=slug), articles, "bylines__contributor"
    ).first()
    if contributor is None:
        raise Http404("No such author.")
    return Listing(
        kind="author",
        title=contributor.name,
        url=reverse("author", kwargs={"slug": slug}),
        description=contributor.bio,
        slug=slug,
        articles=articles.filter(bylines__contributor=contributor),
        subject=contributor,
    )


LISTINGS = {"section": for_section, "tag": for_tag, "author": for_author}


def listing(kind: str, slug: str) -> Listing:
    if kind not in LISTINGS:
        raise Http404("No such list of stories.")
    return LISTINGS[kind](slug)
