from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from newsdesk.articles.blocks import ArticleBodyBlock
from newsdesk.articles.forms import ArticlePageForm
from newsdesk.articles.panels import EditorsDeskPanel
from newsdesk.articles.slugs import claim_slug
from newsdesk.articles.text import body_passages, reading_minutes, word_count
from newsdesk.core import access
from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.images.models import NewsImage

ARTICLES_PER_PAGE = 20
NEXT_STORIES = 4
SHARE_IMAGE_SPEC = "fill-1200x675|format-jpeg"


def published_articles():
    """Live, public articles, newest first, with what a teaser card shows."""
    return (
        ArticlePage.objects.live()
        .public()
        .prefetch_related(
            Prefetch("lead_image", queryset=NewsImage.objects.prefetch_renditions()),
        )
        .order_by("-first_published_at", "-pk")
    )


@dataclass
class Listing:
    """A list of articles that readers browse and feeds syndicate (listings.py)."""

    kind: str  # "all", "section", "tag" or "author"
    title: str
    url: str
    description: str = ""
    slug: str = ""
    articles: QuerySet = field(default_factory=published_articles)
    subject: object = None

    def feed_url(self, feed_format):
        if self.kind == "all":
            return reverse("articles_feed", kwargs={"feed_format": feed_format})
        return reverse(
            "listing_feed",
            kwargs={"kind": self.kind, "slug": self.slug, "feed_format": feed_format},
        )

    @property
    def rss_url(self):
        return self.feed_url("rss")

    @property
    def atom_url(self):
        return self.feed_url("atom")


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    """The page of results a request asks for; a bad page number gets the first or last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def route_to_child(parent, children, request, path_components):
    """Page.route for a parent whose children are all of one type: one query per level instead of two.

    Wagtail finds the child as a plain Page and then fetches its specific
    object; querying the child's own model (children, a queryset of it) gives
    the specific object at once.
    """
    try:
        child = children.child_of(parent).get(slug=path_components[0])
    except children.model.DoesNotExist:
        return Page.route(parent, request, path_components)  # another type of child, or a 404
    child._cached_parent_obj = parent  # as Page.route does: no query for the parent
    return child.route(request, path_components[1:])


class SectionPage(Page):
    """A section of the newsroom (City, Culture, ...), parent of its articles."""

    description = models.TextField(
        blank=True, help_text="One sentence about what the section covers."
    )

    content_panels = [*Page.content_panels, FieldPanel("description")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    def add_child(self, **kwargs):
        """Adds a story under this section, its slug checked once no other can be added.

        The form chose the slug from the siblings it saw, and two stories can be added at
        the same instant (a new story's first autosave and its publish). Treebeard locks
        the section's row to choose the place in the tree; the slug is checked under the
        same lock, so the second story sees the first and does not fail on its slug.
        """
        with transaction.atomic():
            Page.objects.select_for_update().only("pk").get(pk=self.pk)
            if (page := kwargs.get("instance")) is not None:
                claim_slug(page, self)
            return super().add_child(**kwargs)

    def route(self, request, path_components):
        if path_components:
            # What the article page shows besides its own fields, fetched with it.
            articles = ArticlePage.objects.select_related("narration").prefetch_related(
                Prefetch("bylines", queryset=ArticleByline.objects.select_related("contributor")),
                "tags",
            )
            return route_to_child(self, articles, request, path_components)
        return super().route(request, path_components)

    def listing(self):
        return Listing(
            kind="section",
            title=self.title,
            url=self.url,
            description=self.description,
            slug=self.slug,
            articles=published_articles().child_of(self),
            subject=self,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = listing = self.listing()
        # Read only when the template renders the list, not when its kept fragment is reused.
        context["articles"] = SimpleLazyObject(lambda: paginate(request, listing.articles))
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
    standfirst = models.TextField(
        blank=True, max_length=600, help_text="The dek: one or two sentences under the headline."
    )
    lead_image = models.ForeignKey(
        NewsImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(
        "caption",
        max_length=500,
        blank=True,
        help_text="Leave empty to use the caption from the image library.",
    )
    lead_image_credit = models.CharField(
        "credit",
        max_length=255,
        blank=True,
        help_text="Leave empty to use the credit from the image library.",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    reading_time = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text="Minutes, computed from the body when the article is saved.",
    )

    content_panels = [
        TitleFieldPanel("title", heading="Headline"),
        FieldPanel("standfirst"),
        EditorsDeskPanel(heading="How it will look"),
        InlinePanel("bylines", heading="Byline", label="Byline", min_num=0),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        InlinePanel("corrections", heading="Corrections", label="Correction"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("tags")]
    base_form_class = ArticlePageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "bylines", [index.RelatedFields("contributor", [index.SearchField("name")])]
        ),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["articles.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"

    # The article page shows the bylines and tags in several places (byline, meta
    # tags, structured data): each is fetched once per page object.
    @cached_property
    def contributors(self):
        return [byline.contributor for byline in self.bylines.all()]

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    @cached_property
    def section(self):
        return self.get_parent().specific

    def next_stories(self):
        """The section's newest stories besides this one, offered at the end of it."""
        return published_articles().child_of(self.section).exclude(pk=self.pk)[:NEXT_STORIES]

    @property
    def was_updated(self):
        """True once the story has been republished after it first went out."""
        return bool(
            self.first_published_at
            and self.last_published_at
            and self.last_published_at - self.first_published_at >= timedelta(minutes=1)
        )

    def save(self, *args, **kwargs):
        self.reading_time = reading_minutes(word_count(body_passages(self.body)))
        return super().save(*args, **kwargs)

    def share_image_url(self):
        if not self.lead_image:
            return ""
        return absolute_url(self.lead_image.get_rendition(SHARE_IMAGE_SPEC).url)

    def structured_data(self, newsroom, share_image_url):
        """schema.org NewsArticle, as search engines and aggregators read it."""
        canonical = absolute_url(self.url)
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.standfirst,
            "mainEntityOfPage": canonical,
            "url": canonical,
            "datePublished": self.first_published_at,
            "dateModified": self.last_published_at or self.first_published_at,
            "articleSection": self.section.title,
            "keywords": [tag.name for tag in self.tag_list],
            "author": [contributor.structured_data() for contributor in self.contributors],
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": newsroom.name,
                "url": absolute_url("/"),
            },
            "inLanguage": "en",
        }
        if share_image_url:
            data["image"] = [share_image_url]
        return data

    def breadcrumb_data(self, newsroom):
        """schema.org BreadcrumbList: front page, section, story."""
        trail = [
            (newsroom.name, "/"),
            (self.section.title, self.section.url),
            (self.title, self.url),
        ]
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(url)}
                for position, (name, url) in enumerate(trail, start=1)
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        newsroom = NewsroomSettings.for_request(request)
        context["breadcrumb_data"] = self.breadcrumb_data(newsroom)
        context["share_image_url"] = self.share_image_url()
        # Gated for some readers (core/access.py): everyone reads the open blocks, the
        # rest only readers with access; the others get the app's box in its place.
        reader_access = access.access_for(request, self)
        context["access"] = reader_access
        if reader_access is not None:
            blocks = list(self.body)
            context["open_blocks"] = blocks[: reader_access.open_blocks]
            context["gated_blocks"] = blocks[reader_access.open_blocks :]
        context["structured_data"] = {
            **self.structured_data(newsroom, context["share_image_url"]),
            **access.structured_data(reader_access),
        }
        context["canonical_url"] = absolute_url(self.url)
        return context


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        "people.Contributor", on_delete=models.PROTECT, related_name="bylines"
    )

    panels = [FieldPanel("contributor")]

    def __str__(self):
        return str(self.contributor)


class ArticleCorrection(Orderable):
    """A dated note appended to a story when it is corrected."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(help_text="What was wrong and what is right now.")

    panels = [FieldPanel("published_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "published_at"]

    def __str__(self):
        return self.text[:80]


class StaticPage(Page):
    """A page outside the news: about us, contact, a corrections policy.

    Its body is made of the article's blocks, so what an editor places in a
    story (and what an import brings) can be placed here too.
    """

    body = StreamField(ArticleBodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage", "articles.StaticPage"]
    subpage_types = ["articles.StaticPage"]  # "About us" → "Our team"

    class Meta:
        verbose_name = "static page"
