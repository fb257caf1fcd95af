"""A story's slug: made from its headline, and kept unique among its section's stories by itself.

Wagtail refuses a slug a sibling already has, with an error on the form (and, for
an autosave, on no form at all). An editor never picks slugs: on a clash the
story quietly takes headline-2, -3, ... And a story that was never published (an
abandoned new form that autosave kept as a draft, say) has no address readers
know, so it does not hold its slug against a story being published: it steps
aside to the next free one.
"""

import re

from django.db.models import Q
from django.utils.text import slugify
from wagtail.models import Page

NUMBERED = re.compile(r"^(?P<base>.+?)-(?P<number>\d+)$")


def base_slug(slug: str, headline: str) -> str:
    """The slug asked for, without the number a clash once added to the headline's own slug."""
    numbered = NUMBERED.match(slug)
    if numbered and numbered["base"] == slugify(headline, allow_unicode=True):
        return numbered["base"]
    return slug


def _siblings(parent: Page, page: Page | None):
    siblings = parent.get_children()
    return siblings.not_page(page) if page and page.pk else siblings


def _claimed(siblings):
    """Pages whose address readers may know: live now, or published once."""
    return siblings.filter(Q(live=True) | Q(first_published_at__isnull=False))


def free_slug(wanted: str, parent: Page, page: Page | None = None, *, taking=False) -> str:
    """wanted, or wanted-2, -3, ...: the first that no sibling has (taking: no published sibling)."""
    siblings = _siblings(parent, page)
    holders = _claimed(siblings) if taking else siblings
    taken = set(holders.filter(slug__startswith=wanted).values_list("slug", flat=True))
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def claim_slug(page: Page, parent: Page) -> None:
    """Settles the slug of a page being added under parent, once nothing else can be added there.

    The form chose the slug from the siblings it saw, and another page may have been added
    since: a new story's first autosave lands while the editor publishes it. The page
    then takes the next free slug, or, being published, moves the never-published one aside.
    """
    if not _siblings(parent, page).filter(slug=page.slug).exists():
        return
    page.slug = (
        publishing_slug(page.slug, parent, page)
        if page.live
        else free_slug(page.slug, parent, page)
    )


def publishing_slug(wanted: str, parent: Page, page: Page | None = None) -> str:
    """The slug for a story being published: wanted or the first number no published sibling has, its never-published holders moved aside."""
    slug = free_slug(wanted, parent, page, taking=True)
    move_unpublished_aside(slug, parent, page)
    return slug


def move_unpublished_aside(slug: str, parent: Page, page: Page | None = None) -> None:
    """Gives the never-published siblings holding slug the next free slug, so a story being published can take it."""
    for draft in (
        _siblings(parent, page).filter(slug=slug).exclude(pk__in=_claimed(_siblings(parent, page)))
    ):
        draft.slug = free_slug(slug, parent, page)
        draft.set_url_path(parent)
        draft.save(update_fields=["slug", "url_path"], clean=False)
