import os
import sys
import tempfile

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs the production web server (gunicorn). Workers come from WEB_CONCURRENCY."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=f"{settings.HOST}:{settings.PORT}")

    def handle(self, *args, bind, verbosity, **options):
        workers = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1))
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "newsdesk.wsgi:application",
            "--bind",
            bind,
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            os.environ.get("WEB_THREADS", "4"),
            "--access-logfile",
            settings.NEWSDESK_ACCESS_LOG,
            # At verbosity 0 (`newsdesk run`) gunicorn's start-up lines are left out; errors stay.
            "--log-level",
            "warning" if verbosity == 0 else "info",
            # The reader's address behind the proxy (core/clientaddress.py), not the proxy's;
            # the signed values in readers' links (preferences, unsubscribe) left out.
            "--logger-class",
            "newsdesk.core.accesslog.AccessLogger",
            # gunicorn would take SCRIPT_NAME and PATH_INFO from the headers of a request
            # from a trusted proxy, routing it elsewhere than its URL says (a home page
            # answered and cached for /city/). newsdesk is served at its host's root.
            "--forwarder-headers",
            "",
            "--no-control-socket",
            # Metrics shared by the processes (PROMETHEUS_MULTIPROC_DIR), forgotten when they end.
            "--config",
            "python:newsdesk.core.gunicorn",
            # X-Forwarded-Proto is believed from the same proxies as X-Forwarded-For.
            "--forwarded-allow-ips",
            os.environ.get(
                "FORWARDED_ALLOW_IPS",
                ",".join(str(network) for network in settings.TRUSTED_PROXIES),
            ),
        ]
        # Each gunicorn process counts requests in files of its own in this folder, new for each
        # start so that no count of an earlier run is added in; gunicorn removes it at exit.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
            prefix="newsdesk-metrics-", dir=settings.PROMETHEUS_MULTIPROC_DIR or None
        )
        # gunicorn takes this process's place, so signals reach it directly.
        os.execv(sys.executable, argv)
