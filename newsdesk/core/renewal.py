"""What each change renews in the page cache and the kept fragments (pagecache.py, fragments.py).

core knows Wagtail's pages and nothing of the apps above it: each app says, from
its AppConfig.ready(), what a change to what it owns renews.

- `renews(model, tags)`: saving or deleting an instance renews tags(instance),
  as it was before the change and as it is after, and whatever links the
  instance in its content (Wagtail's reference index): each such page's own
  tag, and what each such registered object renews itself.
- `shows_pages(tags)`: publishing, unpublishing, moving or deleting a page
  renews the page, its ancestors, whatever links it (as above), and tags(page)
  of each function registered here: the listings it is on, feeds, search.

A change renews its tags once, when its transaction commits (`pagecache.bump`).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_delete, pre_save
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, ReferenceIndex

from newsdesk.core.pagecache import bump, page_tag

RENEWALS = {}
SHOWN_BY = []


def renews(model, tags):
    """A saved or deleted instance of model renews tags(instance), before and after, and what links it."""
    RENEWALS.setdefault(model, []).append(tags)
    uid = f"renewal:{model._meta.label}"
    pre_save.connect(_remember, sender=model, dispatch_uid=uid)
    post_save.connect(_renew, sender=model, dispatch_uid=uid)
    # Before the deletion, while what links the instance still says so.
    pre_delete.connect(_renew, sender=model, dispatch_uid=uid)


def shows_pages(tags):
    """A changed page renews tags(page) too: what else shows it."""
    SHOWN_BY.append(tags)


def own_tags(instance):
    return set().union(*(tags(instance) for tags in RENEWALS.get(type(instance), ())))


def linked_from(instance):
    """The tags of what links the instance in its content: pages, and registered objects."""
    tags = set()
    rows = (
        ReferenceIndex.get_references_to(instance)
        .values_list("base_content_type", "object_id")
        .distinct()
    )
    for content_type_id, object_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        if issubclass(model, Page):
            tags.add(f"page:{object_id}")
        elif model in RENEWALS:
            for linking in model._default_manager.filter(pk=object_id):
                tags |= own_tags(linking)
    return tags


def pages_linking(instance):
    """The pages that link the instance in their content (story cards, chosen images, bylines)."""
    # The index records a page's references under the base Page model.
    rows = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    ids = [int(object_id) for object_id in rows.values_list("object_id", flat=True)]  # text there
    return Page.objects.filter(pk__in=ids).specific(defer=True)


def tags_showing(page):
    """Everything that shows the page: itself, its ancestors, what links it, what SHOWN_BY adds."""
    tags = {page_tag(page)}
    tags |= {f"page:{pk}" for pk in page.get_ancestors().values_list("pk", flat=True)}
    tags |= linked_from(page)
    for shown_by in SHOWN_BY:
        tags |= set(shown_by(page))
    return tags


def _remember(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        before = sender._default_manager.filter(pk=instance.pk).first()
        instance._renewed_before = own_tags(before) if before else set()


def _renew(sender, instance, raw=False, created=False, **kwargs):
    # A site's settings are created, with their defaults, the first time a page reads them.
    if raw or (created and isinstance(instance, BaseSiteSetting)):
        return
    bump(
        own_tags(instance) | linked_from(instance) | instance.__dict__.pop("_renewed_before", set())
    )


def on_page_published_or_unpublished(sender, instance, **kwargs):
    bump(tags_showing(instance))


def on_page_moved(sender, instance, parent_page_before, **kwargs):
    before = parent_page_before.get_ancestors(inclusive=True).values_list("pk", flat=True)
    bump({f"page:{pk}" for pk in before} | tags_showing(instance))


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump(tags_showing(instance))
