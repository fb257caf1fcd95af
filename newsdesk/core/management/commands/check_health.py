import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Enough for /readyz, whose checks wait a second each at most (core/health.py).
REQUEST_TIMEOUT = 10


class Command(BaseCommand):
    help = (
        "Asks a running `newsdesk web` for /healthz (or /readyz with --ready) and exits non-zero "
        "unless it answers 200: for systemd's ExecStartPost, cron or a container's health check."
    )

    def add_arguments(self, parser):
        host = "127.0.0.1" if settings.HOST in ("0.0.0.0", "::", "") else settings.HOST
        parser.add_argument("--url", default=f"http://{host}:{settings.PORT}")
        parser.add_argument(
            "--ready", action="store_true", help="/readyz: the services it needs answer too"
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="ask again until it answers 200 or this many seconds have passed",
        )

    def handle(self, *args, url, ready, wait, **options):
        if not 0 <= wait <= 3600:
            raise CommandError("--wait must be between 0 and 3600 seconds")
        address = url.rstrip("/") + ("/readyz" if ready else "/healthz")
        deadline = time.monotonic() + wait
        while True:
            status, body = self.ask(address)
            if status == 200 or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        if status != 200:
            raise CommandError(f"{address}: {status or 'no answer'} {body}".rstrip())
        self.stdout.write(body)

    @staticmethod
    def ask(address):
        """(status, body), or (None, why) when nothing answered."""
        try:
            with urllib.request.urlopen(address, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError as error:
            return None, f"({type(error).__name__})"
