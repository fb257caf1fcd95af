"""Publishing a page the import has just made live, in one save instead of three.

An editor's publish saves a new page three times: made (add_child), given its
revision (save_revision) and published (Revision.publish), each save validated
and each queueing the search and reference index updates again. An imported
page is made live as it is saved (the writer sets live, has_unpublished_changes,
first_published_at and last_published_at before add_child); what is left is
what Wagtail's publish adds, done here without saving the page again, so the
page ends in the state PublishPageRevisionAction leaves it in: one revision,
both latest and live, a "wagtail.publish" entry in the audit log naming it, and
page_published sent, so the page cache, narration and every other receiver
see a publish.
"""

from django.contrib.auth.models import AbstractBaseUser
from wagtail.log_actions import log
from wagtail.models import Page, Revision
from wagtail.signals import page_published


def publish_new(page: Page, user: AbstractBaseUser | None) -> Revision:
    """Gives a page saved live a moment ago its revision, latest and live, as Wagtail's publish would."""
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at = revision.created_at
    page.draft_title = page.title
    # An update, not a save: these columns are not indexed and nothing validates them.
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=revision.created_at,
        draft_title=page.title,
    )
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
    log(page, "wagtail.publish", user=user, revision=revision, content_changed=True)
    return revision
