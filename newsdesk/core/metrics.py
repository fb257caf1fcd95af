"""Prometheus metrics: requests by view, the page cache, the task queues, and what the apps register.

Counted as they happen, in the process that serves the request: requests and
their latency by the route's name (never the raw path, so the number of series
stays bounded), page-cache hits and misses, webhook failures. Read when
scraped, by callbacks: the task queues' depth and the age of their oldest task
(from the configured Tasks backend), and the gauges apps register from their
AppConfig.ready() with `register_gauge` (newsletter sends, narration backlog).

`newsdesk web` runs several gunicorn processes; it gives them one
PROMETHEUS_MULTIPROC_DIR (core/gunicorn.py), where prometheus-client keeps each
process's counters in a file of its own, and a scrape of any process adds them
all up. Without it (a test's own server, `runserver`) a scrape shows the counts
of the process that answers it.
"""

import datetime
import hmac
import ipaddress
import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from newsdesk.core.clientaddress import client_address
from newsdesk.core.health import ping_database

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "newsdesk_http_requests_total",
    "Requests answered, by the name of the route that answered them.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "newsdesk_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by route name.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "newsdesk_page_cache_requests_total",
    "Requests the page cache could answer (no session cookie, GET or HEAD), by whether it did.",
    ["result"],
)
WEBHOOK_FAILURES = Counter(
    "newsdesk_webhook_failures_total",
    "Webhook requests refused or failed (4xx or 5xx), by webhook.",
    ["webhook"],
)

# The methods a label may name; anything else a client invents is counted as "other".
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

GAUGES: dict[str, tuple[str, Callable[[], float | Iterable[tuple[dict, float]]]]] = {}


def register_gauge(
    name: str, documentation: str, callback: Callable[[], float | Iterable[tuple[dict, float]]]
) -> None:
    """A gauge read when metrics are scraped: callback() returns a number, or (labels, value) pairs.

    It runs in the scraping request, so it must be cheap: a count on an index.
    """
    GAUGES[name] = (documentation, callback)


def view_label(request, response) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    # The page cache answers before URLs are resolved; anything else unresolved is a 404.
    return "page_cache" if response.get("X-Page-Cache") == "hit" else "unresolved"


class MetricsMiddleware:
    """Counts and times every response by the name of its route; first in MIDDLEWARE, so all are counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request, response)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - started)
        return response


def task_queue_samples():
    """(queue, depth, age of the oldest waiting task in seconds) for each queue of the Tasks backend."""
    backend = settings.TASKS["default"]["BACKEND"]
    now = timezone.now()
    if backend == "newsdesk.core.tasks_backend.RQBackend":
        import django_rq

        for name in settings.TASK_QUEUES:
            queue = django_rq.get_queue(name)
            first = queue.get_jobs(0, 1)
            oldest = first[0].enqueued_at if first else None
            if oldest is None:
                yield name, queue.count, 0.0
                continue
            if oldest.tzinfo is None:  # RQ keeps UTC without saying so
                oldest = oldest.replace(tzinfo=datetime.UTC)
            yield name, queue.count, (now - oldest).total_seconds()
    elif backend == "django_tasks_db.DatabaseBackend":
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        ready = (
            DBTaskResult.objects.ready()
            .values("queue_name")
            .annotate(depth=Count("id"), oldest=Min("enqueued_at"))
        )
        found = {row["queue_name"]: row for row in ready}
        for name in settings.TASK_QUEUES:
            row = found.get(name)
            age = (now - row["oldest"]).total_seconds() if row else 0.0
            yield name, row["depth"] if row else 0, age


class ScrapeTimeCollector:
    """The task queues and the registered gauges, read when metrics are scraped.

    They read the database: with it away, each would wait for the pool's whole
    timeout, and the scrape would time out. Asked first, with a short timeout,
    it leaves them out, and `newsdesk_database_up` says why.
    """

    def collect(self):
        try:
            ping_database()
        except Exception as error:
            logger.warning("Metrics read from the database left out: %s", type(error).__name__)
            yield GaugeMetricFamily(
                "newsdesk_database_up", "Whether the database answered this scrape.", value=0
            )
            return
        yield GaugeMetricFamily(
            "newsdesk_database_up", "Whether the database answered this scrape.", value=1
        )
        depth = GaugeMetricFamily(
            "newsdesk_task_queue_depth", "Tasks waiting in each queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "newsdesk_task_queue_oldest_age_seconds",
            "How long the oldest waiting task of each queue has waited (0 when none waits).",
            labels=["queue"],
        )
        try:
            for queue, waiting, oldest in task_queue_samples():
                depth.add_metric([queue], waiting)
                age.add_metric([queue], oldest)
        except Exception as error:
            logger.warning("Task queue metrics unavailable: %s: %s", type(error).__name__, error)
        else:
            yield depth
            yield age
        for name, (documentation, callback) in GAUGES.items():
            try:
                value = callback()
            except Exception as error:
                logger.warning("Metric %s unavailable: %s: %s", name, type(error).__name__, error)
                continue
            if isinstance(value, int | float):
                yield GaugeMetricFamily(name, documentation, value=value)
                continue
            pairs = list(value)
            labels = sorted({label for labels, _ in pairs for label in labels})
            family = GaugeMetricFamily(name, documentation, labels=labels)
            for labelled, number in pairs:
                family.add_metric([str(labelled.get(label, "")) for label in labels], number)
            yield family


def exposition() -> tuple[bytes, str]:
    """The text a Prometheus scrape reads: every process's counters, then the scrape-time gauges."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    read_now = CollectorRegistry()
    read_now.register(ScrapeTimeCollector())
    return generate_latest(counted) + generate_latest(read_now), CONTENT_TYPE_LATEST


def may_scrape(request) -> bool:
    """From an address in NEWSDESK_METRICS_ALLOWED (loopback by default), or with the bearer token."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    address = client_address(request.META)
    if address is None:
        return False
    return any(ipaddress.ip_address(address) in network for network in settings.METRICS_ALLOWED)
