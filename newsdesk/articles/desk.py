"""The desk's stories as the dashboard lists them: drafts, scheduled, sections to write in."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Revision

from newsdesk.articles.models import ArticlePage, SectionPage

SHOWN = 8


def _approved_revisions():
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage),
        approved_go_live_at__isnull=False,
    )


def scheduled_revisions():
    """Stories approved to go live at a time, soonest first, each with its page."""
    revisions = _approved_revisions().order_by("approved_go_live_at")[:SHOWN]
    pages = ArticlePage.objects.in_bulk([int(revision.object_id) for revision in revisions])
    for revision in revisions:
        revision.story = pages.get(int(revision.object_id))
    return [revision for revision in revisions if revision.story]


def drafts():
    """Stories never published and not scheduled, the latest worked on first."""
    scheduled = _approved_revisions().values_list("object_id", flat=True)
    return (
        ArticlePage.objects.filter(live=False)
        .exclude(pk__in=[int(pk) for pk in scheduled])
        .select_related("owner", "latest_revision__user")
        .order_by("-latest_revision_created_at", "-pk")
    )


def sections_to_write_in(user):
    """The sections this user may add a story to, in the order of the site's navigation."""
    return [
        section
        for section in SectionPage.objects.live().order_by("path")
        if section.permissions_for_user(user).can_add_subpage()
    ]
