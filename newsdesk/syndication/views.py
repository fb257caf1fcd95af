from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from newsdesk.core.links import absolute_url
from newsdesk.core.models import NewsroomSettings
from newsdesk.syndication.feeds import ArticleFeed, NewsItemFeed
from newsdesk.syndication.sitemaps import SITEMAPS


def article_feed(request, feed_format, kind="all", slug=None):
    return ArticleFeed(request, feed_format)(request, kind=kind, slug=slug)


def news_feed(request, feed_format):
    return NewsItemFeed(request, feed_format)(request)


def sitemap_index(request):
    """The index of sitemaps, one entry per page of each, on the public site URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        last_mod = sitemap.get_latest_lastmod()
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        for number in sitemap.paginator.page_range:
            entries.append(
                {
                    "location": location if number == 1 else f"{location}?p={number}",
                    "last_mod": last_mod,
                }
            )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    if section == "news":
        response = sitemap_views.sitemap(
            request, SITEMAPS, section="news", template_name="syndication/news_sitemap.xml"
        )
        response.context_data["newsroom"] = NewsroomSettings.for_request(request)  # rendered lazily
        return response
    sitemap = SITEMAPS[section]()
    number = request.GET.get("p", 1)
    try:
        rows = sitemap.paginator.page(number).object_list
    except (EmptyPage, PageNotAnInteger):
        raise Http404(f"No page {number} of this sitemap.") from None
    return StreamingHttpResponse(sitemap.stream(rows), content_type="application/xml")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        f"Sitemap: {absolute_url(reverse('sitemap_section', kwargs={'section': 'news'}))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
