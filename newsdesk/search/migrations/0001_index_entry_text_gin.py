from django.db import migrations

# Indexes for what Wagtail's PostgreSQL search actually asks; without them every
# search reads whole tables (about 0.7 s at 100,000 articles). SQLite's search
# has its own FTS table and needs neither.
INDEXES = {
    # It filters index entries on `title || body`, which its own indexes on each
    # column cannot serve.
    "newsdesk_search_entry_text": "wagtailsearch_indexentry USING gin ((title || body))",
    # It joins the entries to articles on the article's id written as text (an
    # entry's object_id is text), which the primary key cannot serve.
    "newsdesk_article_search_key": "articles_articlepage (((page_ptr_id::varchar(50))::text))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields"), ("articles", "0003_body_newsletter_signup")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
