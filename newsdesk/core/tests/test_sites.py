"""The kept site and newsroom settings (core/sites.py): no lookup per request, renewed by every change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from newsdesk.core.models import NewsroomSettings

pytestmark = pytest.mark.django_db


def tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, " ".join(query["sql"] for query in queries)


def test_a_rendered_page_reads_neither_site_nor_settings_once_they_are_kept(reader, newsroom):
    first, sql = tables_read(reader, "/")
    assert "wagtailcore_site" in sql and "core_newsroomsettings" in sql
    again, sql = tables_read(reader, "/")
    assert "wagtailcore_site" not in sql and "core_newsroomsettings" not in sql
    assert again.content == first.content
    assert "The Test Ledger" in again.content.decode()


def test_changed_settings_are_shown_at_once(reader, newsroom, commit):
    tables_read(reader, "/")
    newsroom_settings = NewsroomSettings.objects.get()
    newsroom_settings.name = "The Evening Ledger"
    commit(newsroom_settings.save)
    response, sql = tables_read(reader, "/")
    assert "core_newsroomsettings" in sql
    assert "The Evening Ledger" in response.content.decode()


def test_a_changed_site_is_looked_up_again(reader, newsroom, commit):
    tables_read(reader, "/")
    site = Site.objects.get()
    site.site_name = "Renamed"
    commit(site.save)
    _, sql = tables_read(reader, "/")
    assert "wagtailcore_site" in sql


def test_publishing_the_root_page_renews_the_kept_site(reader, newsroom, commit):
    tables_read(reader, "/")
    home = Site.objects.get().root_page.specific
    commit(lambda: home.save_revision().publish())
    _, sql = tables_read(reader, "/")
    assert "wagtailcore_site" in sql


def test_a_site_looked_up_while_a_change_commits_is_not_kept(reader, newsroom, monkeypatch):
    import time

    from django.core.cache import cache

    from newsdesk.core import sites
    from newsdesk.core.pagecache import GENERATION_KEY

    # The sites renewed after the lookup started: what it read may be what was replaced.
    cache.set(GENERATION_KEY.format(sites.SITES), time.time(), timeout=None)
    monkeypatch.setattr(sites.time, "time", lambda: 0.0)
    reader.get("/")
    monkeypatch.undo()
    _, sql = tables_read(reader, "/")
    assert "wagtailcore_site" in sql
