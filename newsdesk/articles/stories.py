"""The admin's "Stories" listing: every article with its byline, section, status, time and
narration, filtered by section, status and author."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.forms import RadioSelect
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Revision

from newsdesk.articles.models import ArticleByline, ArticlePage, SectionPage
from newsdesk.core.admin_tables import LocalTimeColumn
from newsdesk.people.models import Contributor

LIVE, SCHEDULED, DRAFT = "live", "scheduled", "draft"


def go_live_at():
    """When a story's approved revision goes live, if it is scheduled."""
    return Subquery(
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(ArticlePage),
            object_id=Cast(OuterRef("pk"), output_field=Revision._meta.get_field("object_id")),
            approved_go_live_at__isnull=False,
        )
        .order_by("approved_go_live_at")
        .values("approved_go_live_at")[:1]
    )


class StoryFilterSet(PageFilterSet):
    section = django_filters.ModelChoiceFilter(
        label="Section",
        queryset=SectionPage.objects.order_by("path"),
        method="in_section",
        empty_label="All sections",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(LIVE, "Live"), (SCHEDULED, "Scheduled"), (DRAFT, "Draft")],
        method="with_status",
        empty_label="Any",
        widget=RadioSelect,
    )
    author = django_filters.ModelChoiceFilter(
        label="Byline",
        queryset=Contributor.objects.order_by("name"),
        field_name="bylines__contributor",
        distinct=True,
    )

    class Meta:
        model = ArticlePage
        fields = []

    def in_section(self, queryset, name, section):
        return queryset.child_of(section) if section else queryset

    def with_status(self, queryset, name, status):
        if status == LIVE:
            return queryset.filter(live=True)
        if status == SCHEDULED:
            return queryset.filter(_go_live_at__isnull=False)
        if status == DRAFT:
            return queryset.filter(live=False, _go_live_at__isnull=True)
        return queryset


def byline(story):
    return ", ".join(byline.contributor.name for byline in story.bylines.all())


def time_shown(story):
    """When it goes live if it is scheduled, else when it was first published."""
    return story._go_live_at or story.first_published_at


def narration_state(story):
    # Narration is the app above articles that reads stories aloud (its Narration, one per story).
    narration = getattr(story, "narration", None)
    return narration.get_status_display() if narration else "Not narrated"


class StoryIndexView(IndexView):
    page_title = "Stories"
    default_ordering = "-latest_revision_created_at"
    table_classname = "listing full-width newsdesk-wide-listing"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(_go_live_at=go_live_at())
            .select_related("narration")
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleByline.objects.select_related("contributor"))
            )
        )


class StoryListingViewSet(PageListingViewSet):
    model = ArticlePage
    index_view_class = StoryIndexView
    icon = "doc-full"
    menu_label = "Stories"
    menu_order = 50
    add_to_admin_menu = True
    filterset_class = StoryFilterSet
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label="Headline", sort_key="title", classname="title"),
        Column("byline", label="Byline", accessor=byline),
        ParentPageColumn("parent", label="Section"),
        PageStatusColumn("status", label="Status", sort_key="live"),
        LocalTimeColumn("time", label="Published or goes live", accessor=time_shown),
        Column("narration", label="Narration", accessor=narration_state),
    ]
