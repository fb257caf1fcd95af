from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.articles.models import ArticlePage
from newsdesk.core import periodic
from newsdesk.core.models import PeriodicJobRun

pytestmark = pytest.mark.django_db


def test_a_scheduled_article_goes_live_on_the_workers_next_pass(client, publish_article):
    go_live_at = datetime.now(UTC) + timedelta(hours=1)
    article = publish_article("Polls close at eight", go_live_at=go_live_at)
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert periodic.run_due_jobs(now=datetime.now(UTC)) == [
        "publish_scheduled_pages",
        "send_newsletters",
        "lapse_memberships",
        "clear_expired_sessions",
    ]
    assert not ArticlePage.objects.get(pk=article.pk).live

    # The go-live time passes.
    revision = article.latest_revision
    revision.approved_go_live_at = datetime.now(UTC) - timedelta(seconds=5)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    periodic.run_due_jobs(now=datetime.now(UTC) + timedelta(minutes=1))

    assert ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 200


def test_an_expired_article_is_unpublished_on_the_next_pass(publish_article):
    article = publish_article("Road closed until Friday")
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    periodic.run_due_jobs()
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_each_job_runs_once_a_minute_however_many_workers_ask(monkeypatch, db):
    calls = []
    monkeypatch.setattr(periodic, "JOBS", {"count": lambda: calls.append(1)})
    minute = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert periodic.run_due_jobs(now=minute + timedelta(seconds=1)) == ["count"]
    assert periodic.run_due_jobs(now=minute + timedelta(seconds=40)) == []
    assert periodic.run_due_jobs(now=minute + timedelta(minutes=1)) == ["count"]
    assert len(calls) == 2


def test_a_failing_job_does_not_stop_the_others(monkeypatch, db):
    calls = []

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(periodic, "JOBS", {"broken": broken, "fine": lambda: calls.append(1)})
    assert periodic.run_due_jobs() == ["broken", "fine"]
    assert calls == [1]


def test_old_run_records_are_pruned(monkeypatch, db):
    monkeypatch.setattr(periodic, "JOBS", {"count": lambda: None})
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    periodic.run_due_jobs(now=now - timedelta(days=2))
    periodic.run_due_jobs(now=now)
    assert list(PeriodicJobRun.objects.values_list("period", flat=True)) == [now]
