"""A send survives a worker killed with SIGKILL and a mail server that refuses connections for a while.

Everything runs as in production: `newsdesk worker` processes on their own
SQLite database, `newsdesk send_newsletter --wait`, and a real SMTP server.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from newsdesk.newsletters.sending.delivery import CHUNK
from newsdesk.newsletters.tests.smtp import Sink

SUBSCRIBERS = 300

SETUP = f"""
from newsdesk.articles.models import ArticlePage, SectionPage
from newsdesk.home.models import HomePage
from newsdesk.newsletters.models import Newsletter, Subscriber, Subscription
from newsdesk.people.models import Contributor

home = HomePage.objects.get()
section = home.add_child(instance=SectionPage(title="City", slug="city"))
section.save_revision().publish()
article = section.add_child(instance=ArticlePage(title="Night buses return", standfirst="Four routes."))
article.save_revision().publish()
host = Contributor.objects.create(name="Ira Test", slug="ira-test")
newsletter = Newsletter.objects.create(
    name="The Briefing", slug="briefing", description="Mornings.", host=host, cadence="Daily",
    sender_name="The Briefing", sender_address="briefing@ledger.example.org",
)
subscribers = Subscriber.objects.bulk_create(Subscriber(email=f"r{{n}}@example.org") for n in range({SUBSCRIBERS}))
Subscription.objects.bulk_create(
    Subscription(subscriber=s, newsletter=newsletter, status="confirmed") for s in subscribers
)
"""


def newsdesk(*args, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "newsdesk", *args], env=env, **kwargs)


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_killed_worker_and_refusing_server_still_give_everyone_exactly_one_message(tmp_path):
    sink = Sink(delay=0.01).start()
    # The embedded profile whatever the run: the checks below read its SQLite file.
    # (Two workers on PostgreSQL and Redis: core/tests/test_scale_out.py.)
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL")
        },
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "NEWSDESK_DEMO": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "NEWSDESK_NEWSLETTER_BATCH_SIZE": "50",
        "NEWSDESK_NEWSLETTER_LEASE_SECONDS": "2",
        "NEWSDESK_NEWSLETTER_RETRY_SECONDS": "0.5",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    workers = []
    try:
        assert newsdesk("migrate", "-v0", env=env).wait(timeout=120) == 0
        assert newsdesk("shell", "-c", SETUP, env=env).wait(timeout=60) == 0
        workers.append(newsdesk("worker", env=env))
        sender = newsdesk(
            "send_newsletter", "briefing", "--wait", env=env, stdout=subprocess.PIPE, text=True
        )

        # SIGKILL in the middle of the send, with messages in flight.
        wait_until(lambda: len(sink.received) >= 80, 120, "the send to start")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        at_kill = len(sink.received)
        assert at_kill < SUBSCRIBERS

        # The mail server goes away; a new worker starts and finds it refusing connections.
        sink.stop()
        workers.append(newsdesk("worker", env=env))
        time.sleep(4)
        sink.start()

        output, _ = sender.communicate(timeout=180)
        assert sender.returncode == 0, output
        assert "remaining 0" in output and f"sent {SUBSCRIBERS}, failed 0" in output
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        sink.stop()

    by_recipient = sink.ids_by_recipient()
    assert sorted(by_recipient) == sorted(f"r{n}@example.org" for n in range(SUBSCRIBERS))
    assert all(len(ids) == 1 for ids in by_recipient.values()), "someone got two different messages"
    counts = sink.message_ids()
    repeats = sum(counts.values()) - len(counts)

    with sqlite3.connect(tmp_path / "newsdesk.sqlite3") as db:
        sent, in_doubt, pending = db.execute(
            "select sum(status = 'sent'), sum(in_doubt), sum(status in ('pending', 'sending'))"
            " from newsletters_delivery"
        ).fetchone()
        status = db.execute("select status from newsletters_issue").fetchone()[0]
    # What the admin shows is what the server holds.
    assert (status, sent, pending) == ("sent", len(counts), 0)
    # Only messages in flight at the crash may be repeated, and they are counted as in doubt.
    assert repeats <= in_doubt <= CHUNK + 1
    assert in_doubt >= 1
