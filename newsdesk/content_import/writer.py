"""Writing an export into Wagtail: stories, pages, authors, tags, pictures and the old addresses.

Items are written in small batches, each its own transaction, and each is
recorded as an ImportedItem with a checksum of what was read, so a second
run of the same file skips
what it already made, an interrupted run is finished by running it again,
and a changed item (a newer export) updates its page with a new revision.
Links between imported stories are resolved in a second pass, once every
story exists. The old paths answer with a permanent redirect to the new
page (Wagtail's redirects, which answer where the page tree has no page).
"""

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction, Site

from newsdesk.articles.models import ArticleByline, ArticlePage, SectionPage, StaticPage
from newsdesk.content_import import detect
from newsdesk.content_import.blocks import Converter, Target, path_key, plain_text
from newsdesk.content_import.fastpublish import publish_new
from newsdesk.content_import.models import ImportedItem
from newsdesk.content_import.pictures import Pictures, Unavailable
from newsdesk.content_import.sources import (
    Author,
    Export,
    Item,
    Kind,
    Picture,
    Status,
    Visibility,
)
from newsdesk.members.models import StoryAccess, Tier
from newsdesk.narration.tasks import narrations_as_backlog
from newsdesk.people.models import Contributor

IMPORT_ACTION = "content_import.import"
DEFAULT_SECTION = "Stories"  # for stories the old site filed under no tag or category
# Items per transaction: the page cache renews each tag once per commit, and SQLite
# syncs once per commit; an interrupted run loses at most one batch, which a rerun makes.
BATCH_SIZE = 20
KINDS = ("stories", "pages", "authors", "sections", "pictures", "redirects")


@dataclass
class Report:
    """What an import did (or, dry, would do); the command prints lines(), the admin shows the same."""

    format: str = ""
    dry_run: bool = False
    made: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # unchanged since the last run
    missing_pictures: dict[str, list[str]] = field(default_factory=dict)  # story → "url: why"
    warnings: dict[str, list[str]] = field(default_factory=dict)  # story → what was kept as text
    not_imported: dict[str, str] = field(default_factory=dict)  # story → why

    def as_json(self) -> dict:
        """For keeping in a JSONField while an import runs in the worker."""
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "made": dict(self.made),
            "updated": dict(self.updated),
            "skipped": dict(self.skipped),
            "missing_pictures": self.missing_pictures,
            "warnings": self.warnings,
            "not_imported": self.not_imported,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        return cls(
            format=data["format"],
            dry_run=data["dry_run"],
            made=Counter(data["made"]),
            updated=Counter(data["updated"]),
            skipped=Counter(data["skipped"]),
            missing_pictures=data["missing_pictures"],
            warnings=data["warnings"],
            not_imported=data.get("not_imported", {}),
        )

    def counts(self) -> list[tuple[str, int, int, int]]:
        """(kind, made, updated, unchanged) for each kind, for the admin's table."""
        return [(kind, self.made[kind], self.updated[kind], self.skipped[kind]) for kind in KINDS]

    def lines(self) -> list[str]:
        verb = "Would make" if self.dry_run else "Made"
        lines = [f"Format: {self.format}"]
        for kind in KINDS:
            counts = [f"{verb.lower()} {self.made[kind]}"]
            if self.updated[kind]:
                counts.append(f"updated {self.updated[kind]}")
            if self.skipped[kind]:
                counts.append(f"unchanged {self.skipped[kind]}")
            lines.append(f"{kind.capitalize()}: {', '.join(counts)}")
        if self.missing_pictures:
            lines.append("Pictures missing (the story was imported without them):")
            for story, pictures in self.missing_pictures.items():
                lines += [f"  {story}:"] + [f"    {picture}" for picture in pictures]
        if self.not_imported:
            lines.append(
                "Not imported (the rest of the import went on; nothing of these was kept):"
            )
            lines += [f"  {story}: {why}" for story, why in self.not_imported.items()]
        if self.warnings:
            lines.append("Kept as text or left out:")
            for story, warnings in self.warnings.items():
                lines += [f"  {story}:"] + [f"    {warning}" for warning in warnings]
        return lines


def source_name(export: Export) -> str:
    """ "ghost", "wordpress", "substack": what ImportedItem.source_format records."""
    return export.format.split()[0].lower()


def _checksum(item):
    data = json.dumps(asdict(item), cls=DjangoJSONEncoder, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def _item_json(item):
    return json.loads(json.dumps(asdict(item), cls=DjangoJSONEncoder))


def _item_from_json(data):
    data = dict(data)
    for name in ("published_at", "updated_at"):
        data[name] = parse_datetime(data[name]) if data[name] else None
    data["kind"], data["status"] = Kind(data["kind"]), Status(data["status"])
    data["visibility"] = Visibility(data["visibility"])
    if data["feature_image"]:
        data["feature_image"] = Picture(**data["feature_image"])
    return Item(**data)


def _published_times(item):
    """first_published_at and last_published_at: the old site's, not the import's."""
    first = item.published_at or timezone.now()
    return first, max(first, item.updated_at or first)


class Writer:
    def __init__(
        self,
        export: Export,
        *,
        images_dir: Path | None,
        user: AbstractBaseUser | None,
        dry_run: bool,
        file_name: str,
        report: Report,
    ) -> None:
        self.export = export
        self.source = source_name(export)
        self.user = user
        self.dry_run = dry_run
        self.file_name = file_name
        self.report = report
        self.site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.home = self.site.root_page.specific
        self.pictures = Pictures(export.site_url, images_dir, dry_run=dry_run)
        self.sections = {}
        self.contributors = {}
        # The old site's paths of everything imported so far, in this run or before.
        self.pages = {}
        for paths, page_id, model in ImportedItem.objects.values_list(
            "old_paths", "page_id", "page__content_type__model"
        ):
            for path in paths:
                self.pages[path_key(path)] = Target(page_id, model == "articlepage")
        self.converter = Converter(export.site_url, self.pages, self._picture_id)
        self._story = ""  # the item being written, for the report

    # Pictures ----------------------------------------------------------------

    def _image(self, picture):
        try:
            return self.pictures.image_for(picture)
        except Unavailable as reason:
            self.report.missing_pictures.setdefault(self._story, []).append(
                f"{picture.url}: {reason}"
            )
            self._complete = False
            return None

    def _picture_id(self, picture):
        image = self._image(picture)
        return image.pk if image else None

    # Authors and sections ----------------------------------------------------

    def _contributor(self, author: Author):
        if author.source_id in self.contributors:
            return self.contributors[author.source_id]
        name = plain_text(author.name)[:150] or author.slug or "Unknown"
        contributor = (
            Contributor.objects.filter(name__iexact=name).first()
            or Contributor.objects.filter(slug=author.slug or slugify(name)).first()
        )
        if contributor is None:
            slug = base = (slugify(author.slug or name) or "author")[:140]
            number = 1
            while Contributor.objects.filter(slug=slug).exists():
                number += 1
                slug = f"{base}-{number}"
            contributor = Contributor.objects.create(name=name, slug=slug, bio=author.bio)
            self.report.made["authors"] += 1
        self.contributors[author.source_id] = contributor
        return contributor

    def _section(self, name):
        name = plain_text(name)[:255] or DEFAULT_SECTION
        slug = slugify(name, allow_unicode=True)[:255] or "section"
        if slug not in self.sections:
            sections = SectionPage.objects.child_of(self.home)
            section = (
                sections.filter(slug=slug).first() or sections.filter(title__iexact=name).first()
            )
            if section is None:
                section = self.home.add_child(
                    instance=SectionPage(title=name, slug=self._free_slug(self.home, slug))
                )
                section.save_revision(user=self.user, log_action=False).publish(
                    user=self.user, skip_permission_checks=True
                )
                self.report.made["sections"] += 1
            self.sections[slug] = section
        return self.sections[slug]

    @staticmethod
    def _free_slug(parent, slug, page=None):
        siblings = parent.get_children()
        if page is not None and page.pk:
            siblings = siblings.exclude(pk=page.pk)
        candidate, number = slug, 1
        while siblings.filter(slug=candidate).exists():
            number += 1
            candidate = f"{slug[:250]}-{number}"
        return candidate

    # Items -------------------------------------------------------------------

    def write(self, item: Item, *, second_pass: bool = False) -> None:
        kind = "stories" if item.kind == Kind.STORY else "pages"
        self._story = f"{item.title} ({item.old_paths[0] if item.old_paths else item.slug})"
        checksum = _checksum(item)
        record = (
            ImportedItem.objects.filter(source_format=self.source, source_id=item.source_id)
            .select_related("page")
            .first()
        )
        if record and not second_pass and record.checksum == checksum and not record.pending:
            self.report.skipped[kind] += 1
            self._remember(item, record.page_id, item.kind == Kind.STORY)
            return
        self._complete = True
        with transaction.atomic():
            page = record.page.specific.get_latest_revision_as_object() if record else None
            body = self.converter.convert(item.html)
            page = self._page(item, page, body)
            self._publish(item, page)
            self._restrict(item, page, record)
            redirects = self._redirect(item, page)
            ImportedItem.objects.update_or_create(
                source_format=self.source,
                source_id=item.source_id,
                defaults={
                    "page": page,
                    "visibility": item.visibility,
                    "old_paths": item.old_paths,
                    # Missing a picture: a later run tries it again (with --images, say).
                    "checksum": checksum if self._complete else "",
                    "pending": _item_json(item) if body.unresolved and not second_pass else None,
                },
            )
            if not second_pass:
                log(
                    page,
                    IMPORT_ACTION,
                    user=self.user,
                    data={
                        "file": self.file_name,
                        "format": self.export.format,
                        "source_id": item.source_id,
                        "updated": record is not None,
                    },
                )
        if not second_pass:
            (self.report.updated if record else self.report.made)[kind] += 1
            self.report.made["redirects"] += redirects
        warnings = item.warnings + body.warnings
        if warnings and not second_pass:
            self.report.warnings.setdefault(self._story, []).extend(warnings)
        self._remember(item, page.pk, item.kind == Kind.STORY)

    def write_or_report(self, item: Item, *, second_pass: bool = False) -> None:
        """write(), but an item the site refuses (a field it does not take) is reported, not fatal."""
        # What the item may have made (its section, its authors) goes back with it.
        sections, contributors = dict(self.sections), dict(self.contributors)
        made = Counter(self.report.made)
        try:
            self.write(item, second_pass=second_pass)
        except ValidationError as error:
            # write()'s own transaction was rolled back: nothing of the item is kept.
            self.sections, self.contributors, self.report.made = sections, contributors, made
            self.report.not_imported[self._story] = "; ".join(error.messages)

    def _remember(self, item, page_id, is_story):
        for path in item.old_paths:
            self.pages[path_key(path)] = Target(page_id, is_story)

    def _parent_page(self, item):
        """A page's parent: the page the old site put it under, once imported, or the home page."""
        if item.parent_source_id:
            parent = (
                ImportedItem.objects.filter(
                    source_format=self.source,
                    source_id=item.parent_source_id,
                    page__content_type__model="staticpage",
                )
                .select_related("page")
                .first()
            )
            if parent is not None:
                return parent.page.specific
        return self.home

    def _page(self, item, page, body):
        is_story = item.kind == Kind.STORY
        parent = self._section(item.section) if is_story else self._parent_page(item)
        if page is None:
            page = (ArticlePage if is_story else StaticPage)(live=False)
        else:
            parent = page.get_parent()
        page.title = plain_text(item.title)[:255] or item.slug
        page.seo_title = plain_text(item.seo_title)[:255]
        page.search_description = plain_text(item.search_description)
        page.body = body.blocks
        if is_story:
            page.standfirst = plain_text(item.excerpt)[:600]
            picture = item.feature_image
            page.lead_image = self._image(picture) if picture else None
            page.lead_image_caption = plain_text(picture.caption)[:500] if picture else ""
            page.lead_image_credit = plain_text(picture.credit)[:255] if picture else ""
            page.bylines = [
                ArticleByline(contributor=self._contributor(self.export.authors[author_id]))
                for author_id in item.author_ids
                if author_id in self.export.authors
            ]
            page.tags.set([plain_text(tag)[:100] for tag in item.tags if plain_text(tag)])
        if page.pk is None:
            page.slug = self._free_slug(
                parent, slugify(item.slug, allow_unicode=True)[:255] or "story"
            )
            if item.status == Status.PUBLISHED:
                # Made live as it is saved, so _publish need not save it twice more.
                page.live, page.has_unpublished_changes = True, False
                page.first_published_at, page.last_published_at = _published_times(item)
            parent.add_child(instance=page)
        return page

    def _publish(self, item, page):
        if page.live and page.latest_revision_id is None:  # made live by _page just now
            publish_new(page, self.user)
            return
        scheduled = item.status == Status.SCHEDULED and item.published_at
        # Wagtail schedules a revision whose go-live time is ahead (approved_go_live_at).
        page.go_live_at = item.published_at if scheduled else None
        revision = page.save_revision(user=self.user, log_action=False)
        if item.status == Status.PUBLISHED or scheduled:
            revision.publish(user=self.user, skip_permission_checks=True)
            if item.status == Status.PUBLISHED:
                first, last = _published_times(item)
                Page.objects.filter(pk=page.pk).update(
                    first_published_at=first, last_published_at=last
                )
        elif page.live:  # a story the old site took down since the last run
            page.unpublish(user=self.user)

    def _restrict(self, item, page, record):
        """Who may read it, as on the old site.

        A members' or paid story keeps its gate (members' StoryAccess): its opening
        is open to all, the rest to members. Pages, WordPress's private posts and
        stories without a gate of their own stay behind a staff login; a post
        password becomes Wagtail's password form.
        """
        gated = isinstance(page, ArticlePage) and item.status != Status.PRIVATE
        private = item.visibility != Visibility.PUBLIC or item.status == Status.PRIVATE
        restrictions = PageViewRestriction.objects.filter(page=page)
        if item.password:
            restrictions.exclude(restriction_type=PageViewRestriction.PASSWORD).delete()
            restrictions.update_or_create(
                page=page,
                restriction_type=PageViewRestriction.PASSWORD,
                defaults={"password": item.password[:255]},
            )
        elif private and gated:
            restrictions.filter(restriction_type=PageViewRestriction.LOGIN).delete()
            self._gate(item, page)
        elif private:
            if not restrictions.filter(restriction_type=PageViewRestriction.LOGIN).exists():
                PageViewRestriction.objects.create(
                    page=page, restriction_type=PageViewRestriction.LOGIN
                )
        elif record is not None:
            # Public now: what an earlier run restricted is lifted.
            restrictions.filter(
                restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD]
            ).delete()
            StoryAccess.objects.filter(page=page).delete()

    def _gate(self, item, page):
        # An editor's later choice of tiers is theirs: a rerun only gates what has no gate.
        if StoryAccess.objects.filter(page=page).exists():
            return
        if item.visibility == Visibility.MEMBERS:
            StoryAccess.objects.create(page=page, level=StoryAccess.Level.MEMBERS)
            return
        access = StoryAccess.objects.create(page=page, level=StoryAccess.Level.TIERS)
        paid_tiers = Tier.objects.filter(is_free=False)
        access.tiers.set(paid_tiers)
        if not paid_tiers:
            self.report.warnings.setdefault(self._story, []).append(
                "For paying members, and no paid tier exists yet: nobody may read it whole "
                "until its tiers are chosen (Members → Gated stories)."
            )

    def _redirect(self, item, page):
        new_path = page.url_path[len(self.home.url_path) - 1 :]
        made = 0
        for path in item.old_paths:
            old = Redirect.normalise_path(path)
            if old == Redirect.normalise_path(new_path):
                continue
            _, created = Redirect.objects.update_or_create(
                old_path=old,
                site=self.site,
                defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
            )
            made += created
        return made

    def second_pass(self) -> None:
        """Writes again the items whose links led to stories not imported yet when they were written."""
        pending = ImportedItem.objects.filter(source_format=self.source, pending__isnull=False)
        # The ids first: each write empties its row's pending, under a cursor that would still read them.
        for pk in list(pending.values_list("pk", flat=True)):
            item = ImportedItem.objects.get(pk=pk).pending
            self.write_or_report(_item_from_json(item), second_pass=True)


def import_export(
    export: Export,
    *,
    images_dir: Path | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    file_name: str = "",
    progress: Callable[[Report], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> Report:
    """Writes an export into the site and returns the Report; dry_run writes nothing at all.

    Items are written batch_size at a time, each batch its own transaction (a
    dry run holds them all in one that is rolled back, and stores no picture).
    progress(report) is called after each batch is committed. Every page made
    or updated is recorded in the audit log under user (None: the command
    line, "system").
    """
    report = Report(format=export.format, dry_run=dry_run)
    # An archive's narrations wait behind what editors publish, newest story first.
    with narrations_as_backlog(), transaction.atomic() if dry_run else nullcontext():
        writer = Writer(
            export,
            images_dir=images_dir,
            user=user,
            dry_run=dry_run,
            file_name=file_name,
            report=report,
        )
        try:
            items = iter(export.items)
            while batch := list(islice(items, batch_size)):
                with transaction.atomic():
                    for item in batch:
                        writer.write_or_report(item)
                if progress:
                    progress(report)
            writer.second_pass()
        finally:
            writer.pictures.close()
        report.made["pictures"] = writer.pictures.made
        report.skipped["pictures"] = writer.pictures.reused
        if dry_run:
            transaction.set_rollback(True)
    return report


def read_export(path: str | Path, site_url: str = "") -> Export:
    """The file's Export, by the reader of its format (detect.py); raises UnreadableExport.

    site_url is the old site's address, for Ghost's __GHOST_URL__ and for
    fetching pictures; without it, this site's own (NEWSDESK_SITE_URL), as a
    newsroom usually keeps its domain.
    """
    return detect.read(path, site_url=site_url or settings.NEWSDESK_SITE_URL)


def import_file(
    path: str | Path,
    *,
    images_dir: Path | None = None,
    site_url: str = "",
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    progress: Callable[[Report], None] | None = None,
    file_name: str = "",
) -> Report:
    """Recognises the export (Ghost, WordPress or Substack), reads it and imports it.

    site_url as for read_export. file_name, for the audit log, is the file's
    own unless given (an upload kept under another name). Raises
    UnreadableExport, having written nothing, when the file is not an export
    it can read.
    """
    return import_export(
        read_export(path, site_url=site_url),
        images_dir=images_dir,
        user=user,
        dry_run=dry_run,
        file_name=file_name or Path(path).name,
        progress=progress,
    )
