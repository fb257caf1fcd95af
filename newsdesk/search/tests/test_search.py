import pytest
from bs4 import BeautifulSoup

from newsdesk.search.snippets import highlight, query_terms

pytestmark = pytest.mark.django_db


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


@pytest.fixture
def archive(newsroom, publish_article, run_tasks):
    """A few stories, indexed by the worker as in production."""
    publish_article(
        "Substation repairs finish early",
        standfirst="Crews worked through the weekend at the substation.",
        body=paragraph(
            "The transformer arrived on Friday and the grid was stable by Sunday. "
            "The substation now feeds the whole district."
        ),
        tags=["energy"],
    )
    publish_article(
        "Council debates the budget",
        standfirst="A long night at city hall.",
        body=paragraph(
            "One councillor said the substation money should come first, before the concert hall."
        ),
    )
    publish_article(
        "Київ готується до зими",
        standfirst="Engineers prepare the heating network.",
        body=paragraph(
            "Енергетики відновлюють підстанцію на лівому березі, а школи отримали генератори."
        ),
        bylines=[newsroom["desk"]],
    )
    run_tasks("default")


def results(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return response, soup, [a.get_text() for a in soup.select(".search-result__headline a")]


def test_the_story_most_about_the_words_ranks_first(client, archive):
    response, _soup, found = results(client, "substation")
    assert response.status_code == 200
    assert found == ["Substation repairs finish early", "Council debates the budget"]


def test_words_in_the_body_are_found_and_marked_in_a_snippet(client, archive):
    _, soup, found = results(client, "transformer")
    assert found == ["Substation repairs finish early"]
    snippet = soup.select_one(".search-result__snippet")
    assert snippet.mark.get_text() == "transformer"
    assert "arrived on Friday" in snippet.get_text()


def test_cyrillic_words_are_found_in_the_body(client, archive):
    _, soup, found = results(client, "генератори")
    assert found == ["Київ готується до зими"]
    assert soup.select_one(".search-result__snippet mark").get_text() == "генератори"


def test_bylines_and_tags_are_searched(client, archive):
    assert results(client, "energy")[2] == ["Substation repairs finish early"]
    assert results(client, "desk")[2] == ["Київ готується до зими"]


def test_nothing_found_says_so(client, archive):
    _, soup, found = results(client, "zeppelin")
    assert found == []
    assert "No stories found for “zeppelin”" in soup.get_text()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "<script>alert(1)</script>",
        '"unbalanced',
        "AND OR NOT",
        "*",
        "substation -",
        "\x00\x01",
        "😀 ☃ \u202e",
        "ﷺ",
        "a" * 200,
        "NEAR(substation grid)",
        "substation:*",
    ],
)
def test_any_query_gets_a_page_and_is_shown_escaped(client, archive, query):
    response, _soup, _ = results(client, query)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_an_over_long_query_gets_a_clear_400(client, archive):
    response, soup, _found = results(client, "x" * 10_000)
    assert response.status_code == 400
    assert "at most 200 characters" in soup.get_text()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999", ""])
def test_any_page_number_of_results_gets_a_page(client, archive, page):
    assert results(client, "substation", page=page)[0].status_code == 200


def test_highlight_escapes_the_text_and_marks_every_term():
    html = highlight("Fish & chips <b>and</b> more fish", query_terms("FISH"))
    assert html == "<mark>Fish</mark> &amp; chips &lt;b&gt;and&lt;/b&gt; more <mark>fish</mark>"


def test_highlight_shows_a_window_around_the_first_match():
    text = (
        " ".join(f"w{n}" for n in range(100)) + " needle " + " ".join(f"v{n}" for n in range(100))
    )
    html = highlight(text, ["needle"], window=9)
    assert html == "… w97 w98 w99 <mark>needle</mark> v0 v1 v2 v3 v4 …"


@pytest.mark.production
def test_on_postgresql_the_indexes_for_what_a_search_asks_are_there(client, archive):
    # Whether the planner uses them depends on the table sizes (measured at 100,000
    # articles by bench/pages): here, that they exist on the expressions searched.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as searched:
        assert client.get("/search/", {"q": "substation"}).status_code == 200
    sql = " ".join(query["sql"] for query in searched.captured_queries)
    assert '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body")' in sql
    assert '("articles_articlepage"."page_ptr_id")::varchar(50)' in sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'newsdesk_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin (((title || body)))" in indexes["newsdesk_search_entry_text"]
    assert "((page_ptr_id)::character varying(50))::text" in indexes["newsdesk_article_search_key"]


def test_pages_of_results_keep_the_query(client, archive, monkeypatch):
    monkeypatch.setattr("newsdesk.search.views.RESULTS_PER_PAGE", 1)
    _, soup, found = results(client, "substation")
    assert found == ["Substation repairs finish early"]
    assert soup.select_one(".pagination span").get_text() == "Page 1 of 2"
    more = soup.select_one('.pagination a[rel="next"]')
    assert (more.get_text(), more["href"]) == ("More results", "?q=substation&page=2")
    _, soup, found = results(client, "substation", page=2)
    assert found == ["Council debates the budget"]
    previous = soup.select_one('.pagination a[rel="prev"]')
    assert (previous.get_text(), previous["href"]) == ("Previous results", "?q=substation&page=1")
