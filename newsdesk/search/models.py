from django.contrib.postgres.search import SearchVectorField
from django.db import models

from newsdesk.articles.models import ArticlePage


class SearchEntry(models.Model):
    """A live story as the reader search knows it (engine.py writes and reads these).

    On PostgreSQL `vector` holds the story's weighted words, with a GIN index made by
    the migration; on SQLite the words are in the FTS5 table `newsdesk_search_text`
    instead (one row per entry, rowid = page id) and `vector` stays empty.
    """

    page = models.OneToOneField(
        ArticlePage, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # When a query matches very many stories, only the newest are ranked.
    published_at = models.DateTimeField(db_index=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"search entry of page {self.page_id}"
