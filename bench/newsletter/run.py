"""Newsletter sending speed: newsdesk's real path against a bare SMTP loop, same messages, same run.

    .venv/bin/python bench/newsletter/run.py [--subscribers 100000] [--workers 2]

Makes a newsletter with that many confirmed subscribers in a throwaway data
folder (SQLite, the embedded profile), starts an SMTP sink in its own process
(aiosmtpd, accepting and counting), then
  1. newsdesk: starts the send (freezing the audience, delivery records,
     batches as tasks) and times it until every message is at the sink, with
     `newsdesk worker` processes doing the sending, exactly as in production;
  2. bare loop: the same messages (same bytes, made by the same code) sent by
     one loop over one kept-open SMTP connection, with no database at all.
It prints messages per second for both and their ratio, the time to freeze
the audience, and the peak memory (VmHWM) of each worker process.
"""

import argparse
import multiprocessing
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sink(port, count, distinct, ready):
    """The SMTP server: accepts everything, counts messages and distinct Message-IDs."""
    import re

    from aiosmtpd.controller import Controller

    message_id = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE)
    seen = set()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            found = message_id.search(envelope.original_content)
            seen.add(found.group(1) if found else None)
            count.value += 1
            distinct.value = len(seen)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def peak_rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_audience(subscribers):
    from newsdesk.articles.models import ArticlePage, SectionPage
    from newsdesk.home.models import HomePage
    from newsdesk.newsletters.models import Issue, IssueStory, Newsletter, Subscriber, Subscription
    from newsdesk.people.models import Contributor

    home = HomePage.objects.get()
    section = home.add_child(instance=SectionPage(title="City", slug="city"))
    section.save_revision().publish()
    stories = []
    for n in range(5):
        body = [
            {
                "type": "paragraph",
                "value": "<p>The council met on Monday and voted on the budget.</p>",
            }
        ]
        article = ArticlePage(
            title=f"Story {n}: the council votes", standfirst="What it means for you.", body=body
        )
        section.add_child(instance=article)
        article.save_revision().publish()
        stories.append(article)
    host = Contributor.objects.create(name="Ira Bench", slug="ira-bench")
    newsletter = Newsletter.objects.create(
        name="The Briefing",
        slug="briefing",
        description="Mornings.",
        host=host,
        cadence="Every weekday",
        sender_name="The Briefing",
        sender_address="briefing@ledger.example.org",
    )
    for start in range(0, subscribers, 10_000):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@example.org")
            for n in range(start, min(start + 10_000, subscribers))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, newsletter=newsletter, status="confirmed") for s in made
        )
    issue = Issue.objects.create(
        newsletter=newsletter, subject="The council votes", intro="<p>Good morning.</p>"
    )
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=a, sort_order=n) for n, a in enumerate(stories)
    )
    return issue


def wait_for(count, target, timeout):
    deadline = time.monotonic() + timeout
    while count.value < target:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {count.value} of {target} messages arrived in {timeout} s")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-newsletter-")
    env = {
        **os.environ,
        "NEWSDESK_DATA_DIR": data_dir,
        "NEWSDESK_DEMO": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    sys.path.insert(0, str(ROOT))

    count, distinct, ready = (
        multiprocessing.Value("i", 0),
        multiprocessing.Value("i", 0),
        multiprocessing.Event(),
    )
    server = multiprocessing.Process(target=sink, args=(port, count, distinct, ready), daemon=True)
    server.start()
    ready.wait(10)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from newsdesk.newsletters.models import Delivery, Issue
    from newsdesk.newsletters.sending import sends as sending
    from newsdesk.newsletters.sending.messages import IssueMail

    started = time.perf_counter()
    issue = make_audience(options.subscribers)
    print(
        f"{options.subscribers} confirmed subscribers made in {time.perf_counter() - started:.1f} s"
    )

    workers = [
        subprocess.Popen([sys.executable, "-m", "newsdesk", "worker", "-v0"], env=env)
        for _ in range(options.workers)
    ]
    time.sleep(5)  # the workers start up and poll an empty queue
    try:
        started = time.perf_counter()
        sending.start(issue)
        frozen = time.perf_counter() - started
        wait_for(count, options.subscribers, timeout=3600)
        while Issue.objects.get(pk=issue.pk).status != "sent":
            time.sleep(0.05)
        newsdesk_seconds = time.perf_counter() - started
        peaks = [peak_rss_mib(worker.pid) for worker in workers]
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    sent = Delivery.objects.filter(issue=issue, status="sent").count()
    newsdesk_rate = options.subscribers / newsdesk_seconds
    print(
        f"newsdesk ({options.workers} workers): {options.subscribers} messages in {newsdesk_seconds:.1f} s, "
        f"{newsdesk_rate:.0f} msg/s (audience frozen and batched in {frozen:.2f} s); "
        f"{sent} delivery records sent, {distinct.value} distinct Message-IDs at the sink; "
        f"worker peak RSS {', '.join(f'{p:.0f}' for p in peaks)} MiB"
    )

    issue.refresh_from_db()
    mail = IssueMail(issue)
    recipients = list(
        Delivery.objects.filter(issue=issue).order_by("pk").values_list("subscriber_id", "email")
    )
    before = count.value
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for subscriber_id, email in recipients:
            smtp.sendmail(mail.sender, [email], mail.for_recipient(subscriber_id, email))
    wait_for(count, before + len(recipients), timeout=60)
    bare_seconds = time.perf_counter() - started
    bare_rate = len(recipients) / bare_seconds
    print(
        f"bare loop (1 connection): {len(recipients)} messages in {bare_seconds:.1f} s, {bare_rate:.0f} msg/s"
    )
    print(f"ratio newsdesk / bare: {newsdesk_rate / bare_rate:.2f}")
    server.terminate()


if __name__ == "__main__":
    main()
