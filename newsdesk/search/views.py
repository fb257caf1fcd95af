import re

from django.core.paginator import Paginator
from django.shortcuts import render

from newsdesk.articles.models import published_articles
from newsdesk.articles.text import body_passages
from newsdesk.core.access import open_body
from newsdesk.core.xml import xml_safe
from newsdesk.search import engine
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
    if query:
        # Only the words go to the engine: quotes, operators and other syntax in a
        # reader's query are not the full-text engine's to interpret.
        found = engine.find(re.findall(r"[^\W_]+", query))
        # get_page turns a junk page number into the first page, one past the end
        # (at most the cap's) into the last.
        page = Paginator(found.ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        # Only the shown page's stories are fetched, with what cards show, and quoted.
        stories = published_articles().in_bulk(page.object_list)
        terms = query_terms(query)
        context["results"] = page
        context["more_than"] = f"{engine.RESULT_CAP:,}" if found.more else ""
        context["hits"] = [
            (stories[pk], highlight(story_text(stories[pk]), terms))
            for pk in page.object_list
            if pk in stories
        ]
    return render(request, "search/search_page.html", context)
