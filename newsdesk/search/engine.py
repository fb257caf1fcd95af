"""The reader search's own index, on whichever engine the database has.

PostgreSQL (the production profile): each story's words in a stored tsvector, the
headline weighted A, the standfirst B, the body, bylines and tags C, under a GIN
index. SQLite (the embedded profile): an FTS5 table with a column for each, ranked
by bm25 with the headline counting most.

A query that matches very many stories would cost as many rank computations, so
only the newest RESULT_CAP + 1 matches are ranked (newest first is an index scan
that stops there), and the best RESULT_CAP of them are the results: the count
then says "more than RESULT_CAP". Wagtail's own index stays the admin's.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Prefetch
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticleByline, ArticlePage
from newsdesk.articles.text import body_passages
from newsdesk.search.models import SearchEntry

RESULT_CAP = 10_000
# The same language rules for stories and queries ("repairs" finds "repair"), on both
# engines: PostgreSQL's english configuration, SQLite's porter tokenizer.
CONFIG = "english"
FTS_TABLE = "newsdesk_search_text"
ENTRIES = SearchEntry._meta.db_table
# bm25's weights for the FTS5 columns headline, standfirst, body.
BM25_WEIGHTS = (10.0, 3.0, 1.0)
BATCH = 500


@dataclass(frozen=True)
class Found:
    ids: list[int]  # the results' page ids, best first; at most RESULT_CAP
    more: bool  # more stories match than RESULT_CAP


def document(article: ArticlePage) -> tuple[str, str, str]:
    """The headline, standfirst and the rest that a story is found by.

    The whole body is indexed, a gated story's gated part too: the result then
    quotes only the open part (views.py).
    """
    rest = [
        *(f"{passage.text} {passage.attribution}" for passage in body_passages(article.body)),
        *(contributor.name for contributor in article.contributors),
        *(tag.name for tag in article.tag_list),
    ]
    return article.title, article.standfirst, " ".join(rest)


def index(articles: Iterable[ArticlePage]) -> None:
    """Adds the live stories to the index, or brings their entries up to date.

    Wagtail announces a revision scheduled for later as published too: a story
    not live yet is left out (its entry, if it is live already, keeps the live text
    until the scheduled revision goes live and is announced again).
    """
    articles = [article for article in articles if article.live]
    if not articles:
        return
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            [SearchEntry(page_id=a.pk, published_at=a.first_published_at) for a in articles],
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["published_at"],
        )
        rows = [(article.pk, *document(article)) for article in articles]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.executemany(
                    f"UPDATE {ENTRIES} SET vector ="
                    f" setweight(to_tsvector('{CONFIG}', %s), 'A')"
                    f" || setweight(to_tsvector('{CONFIG}', %s), 'B')"
                    f" || setweight(to_tsvector('{CONFIG}', %s), 'C')"
                    " WHERE page_id = %s",
                    [(*texts, pk) for pk, *texts in rows],
                )
            else:
                cursor.executemany(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows]
                )
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, headline, standfirst, body)"
                    " VALUES (%s, %s, %s, %s)",
                    rows,
                )


def remove(page_ids: Iterable[int]) -> None:
    # On SQLite a trigger (the migration's) takes the story's words out of FTS5 with it.
    SearchEntry.objects.filter(page_id__in=list(page_ids)).delete()


@transaction.atomic
def rebuild() -> int:
    """Indexes every live story afresh, in batches; returns how many."""
    SearchEntry.objects.all().delete()
    stories = (
        ArticlePage.objects.live()
        .prefetch_related(
            "tags",
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("contributor")),
        )
        # Written oldest first, as publishing later adds the newer ones, so that the
        # table's order on disk follows the dates: the newest matches, which a common
        # word's search reads by date, then lie together (at 100,000 stories, 2,000
        # pages read in order rather than 20,000 here and there).
        .order_by("first_published_at", "pk")
    )
    count = 0
    batch = []
    for story in stories.iterator(chunk_size=BATCH):
        batch.append(story)
        if len(batch) == BATCH:
            index(batch)
            count += len(batch)
            batch = []
    index(batch)
    return count + len(batch)


def find(words: list[str]) -> Found:
    """Live public stories holding every one of the words, best first.

    Words are letters and digits only (views.py): nothing a reader types reaches
    an engine as its syntax.
    """
    if not words:
        return Found([], False)
    # Stories under a page with a view restriction (rare) are left out as Wagtail's
    # public() does; looked up here rather than stored, so moves need no re-indexing.
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    public = ""
    if restricted:
        public = (
            " AND NOT EXISTS (SELECT 1 FROM wagtailcore_page p WHERE p.id = e.page_id AND ("
            + " OR ".join(["p.path LIKE %s"] * len(restricted))
            + "))"
        )
    paths = [f"{path}%" for path in restricted]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The tsquery is written out (not shared through a CTE) so that the planner
            # sees a constant and estimates from the words' statistics: an index scan
            # by date that stops at the cap for common words, the GIN index for rare
            # ones. ts_rank adds up every mention, so a body that repeats the words
            # could outscore a headline: stories with all the words in the headline
            # come first, then those with them in headline or standfirst.
            query = f"plainto_tsquery('{CONFIG}', %s)"
            text = " ".join(words)
            cursor.execute(
                "SELECT page_id FROM ("
                f" SELECT e.page_id, e.published_at, e.vector FROM {ENTRIES} e"
                f" WHERE e.vector @@ {query}{public}"
                " ORDER BY e.published_at DESC LIMIT %s"
                f") candidates ORDER BY vector @@ to_tsquery('{CONFIG}', %s) DESC,"
                f" vector @@ to_tsquery('{CONFIG}', %s) DESC,"
                f" ts_rank(vector, {query}) DESC, published_at DESC",
                [
                    text,
                    *paths,
                    RESULT_CAP + 1,
                    " & ".join(f"{word}:A" for word in words),
                    " & ".join(f"{word}:AB" for word in words),
                    text,
                ],
            )
        else:
            # Each word quoted: a reader's words, never FTS5's operators.
            match = " ".join(f'"{word}"' for word in words)
            weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
            cursor.execute(
                "SELECT page_id FROM ("
                f" SELECT e.page_id, e.published_at, bm25({FTS_TABLE}, {weights}) AS score"
                f" FROM {FTS_TABLE} JOIN {ENTRIES} e ON e.page_id = {FTS_TABLE}.rowid"
                f" WHERE {FTS_TABLE} MATCH %s{public}"
                " ORDER BY e.published_at DESC LIMIT %s"
                ") ORDER BY score, published_at DESC",
                [match, *paths, RESULT_CAP + 1],
            )
        ids = [row[0] for row in cursor.fetchall()]
    return Found(ids[:RESULT_CAP], len(ids) > RESULT_CAP)
