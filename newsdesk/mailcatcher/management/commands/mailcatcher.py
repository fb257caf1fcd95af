import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from newsdesk.mailcatcher import server


class Command(BaseCommand):
    help = (
        "Runs the development mail catcher: an SMTP server on loopback that keeps every "
        "message for the admin's outbox instead of delivering it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.MAILCATCHER_PORT)

    def handle(self, *args, port, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        # Loopback only: the catcher accepts mail from anyone who can reach it.
        controller = server.start(settings.MAILCATCHER_DIR, "127.0.0.1", port)
        if options["verbosity"]:
            self.stdout.write(
                f"Mail catcher listening on 127.0.0.1:{port}, keeping mail in {settings.MAILCATCHER_DIR}"
            )
        try:
            stop.wait()
        finally:
            controller.stop()
