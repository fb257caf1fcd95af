"""What articles add to the page cache's dependencies (core/renewal.py): listings, bylines, tags."""

from newsdesk.articles.models import ArticleByline, ArticlePageTag, SectionPage


def listing_tags(article_id):
    """The tag and author pages an article is listed on, as stored now."""
    slugs = ArticlePageTag.objects.filter(content_object_id=article_id).values_list(
        "tag__slug", flat=True
    )
    authors = ArticleByline.objects.filter(page_id=article_id).values_list(
        "contributor__slug", flat=True
    )
    return {f"tag:{slug.lower()}" for slug in slugs} | {f"author:{slug}" for slug in authors}


def remember_listings(sender, instance, **kwargs):
    """Before an article is saved: the listings it leaves, if its tags or bylines change."""
    if instance.pk:
        instance._listed_before = listing_tags(instance.pk)


def listings_showing(page):
    """The listings that show a changed page: its tag and author pages before and after; the sections."""
    tags = getattr(page, "_listed_before", set()) | listing_tags(page.pk)
    if page.specific_class and issubclass(page.specific_class, SectionPage):
        tags.add("sections")  # the navigation on every page
    return tags


def tag_renews(tag):
    """A tag's page, and the articles that show its name."""
    articles = ArticlePageTag.objects.filter(tag=tag).values_list("content_object_id", flat=True)
    return {f"tag:{tag.slug.lower()}"} | {f"page:{pk}" for pk in articles}


def contributor_renews(contributor):
    """A contributor's author page; the articles bylined to them link them, and are renewed as such."""
    return {f"author:{contributor.slug}"}
