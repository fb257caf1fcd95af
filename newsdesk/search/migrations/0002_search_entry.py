import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS_TABLE = "newsdesk_search_text"
ENTRIES = "newsdesk_search_searchentry"


def create_engine_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX newsdesk_search_vector ON {ENTRIES} USING gin (vector)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "headline, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        # However an entry goes (a story unpublished, or deleted with its section),
        # its words go with it.
        schema_editor.execute(
            f"CREATE TRIGGER newsdesk_search_entry_deleted AFTER DELETE ON {ENTRIES}"
            f" BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.page_id; END"
        )


def drop_engine_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS newsdesk_search_entry_deleted")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    # PostgreSQL's index goes with the entries' table.


def fill(apps, schema_editor):
    # The index holds what the search code of today makes of each story, so it is
    # filled by that code (engine.py), not from the historical models; a new
    # database (no stories yet) never runs it, whatever later migrations add.
    if apps.get_model("articles", "ArticlePage").objects.exists():
        from newsdesk.search import engine

        engine.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_body_support_block"),
        ("newsdesk_search", "0001_index_entry_text_gin"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.articlepage",
                    ),
                ),
                ("published_at", models.DateTimeField(db_index=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={"verbose_name_plural": "search entries"},
        ),
        migrations.RunPython(create_engine_index, drop_engine_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
