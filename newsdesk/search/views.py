import re

from django.core.paginator import Paginator
from django.shortcuts import render

from newsdesk.articles.models import ArticlePage, published_articles
from newsdesk.articles.text import body_passages
from newsdesk.core.access import open_body
from newsdesk.core.xml import xml_safe
from newsdesk.search.snippets import highlight, query_terms

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def story_text(article):
    """What a snippet may quote: a gated story's open part only."""
    return " ".join(
        [article.standfirst, *(passage.text for passage in body_passages(open_body(article)))]
    )


def search(request):
    query = " ".join(xml_safe(request.GET.get("q", "")).split())
    context = {"query": query, "results": None, "error": ""}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = f"Please search for at most {MAX_QUERY_LENGTH} characters."
        return render(request, "search/search_page.html", context, status=400)
    # Only the words go to the search backend: quotes, operators and other syntax
    # in a reader's query are not the full-text engine's to interpret.
    words = " ".join(re.findall(r"\w+", query))
    if query:
        matches = ArticlePage.objects.live().public().search(words, operator="and") if words else []
        page = Paginator(matches, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        # The search backend ranks; the page's stories are then fetched with what cards show.
        ranked = [article.pk for article in page.object_list]
        stories = published_articles().in_bulk(ranked)
        terms = query_terms(query)
        context["results"] = page
        context["hits"] = [
            (stories[pk], highlight(story_text(stories[pk]), terms))
            for pk in ranked
            if pk in stories
        ]
    return render(request, "search/search_page.html", context)
