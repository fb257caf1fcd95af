import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsdesk.demo.loader import demo_needed, ensure_demo_editor

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Prepares the database and runs the whole site in the foreground: web server, "
        "task worker and (without EMAIL_URL) the mail catcher, until SIGINT or SIGTERM."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.NEWSDESK_DEMO and demo_needed():
            self.stdout.write("Loading the demo newsroom…")
            call_command("load_demo", verbosity=0)
        self.announce()
        # Without EMAIL_URL the site's mail goes to the development mail catcher.
        mail = [] if settings.EMAIL_URL else [["mailcatcher"]]
        sys.exit(self.supervise(["web"], ["worker"], *mail))

    def announce(self):
        site = settings.NEWSDESK_SITE_URL
        lines = [f"newsdesk is running at {site}/", f"Admin: {site}/admin/"]
        if not settings.EMAIL_URL:
            lines.append(
                f"Outbox (mail caught on 127.0.0.1:{settings.MAILCATCHER_PORT}): {site}/admin/outbox/"
            )
        if settings.NEWSDESK_DEMO:
            username, password = ensure_demo_editor(settings.NEWSDESK_DEMO_PASSWORD)
            if password:
                lines.append(f"Demo editor: {username} / {password}")
            else:
                lines.append(
                    f"Demo editor: {username} (password as printed when it was set; "
                    "set NEWSDESK_DEMO_PASSWORD to choose a new one)"
                )
        else:
            lines.append("Create an editor account with: .venv/bin/newsdesk createsuperuser")
        lines.append("Press Ctrl-C to stop.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def supervise(self, *commands):
        """Runs each command as a child process; stops them all when one ends or on a signal."""
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        children = [
            subprocess.Popen([sys.executable, "-m", "newsdesk", *command]) for command in commands
        ]
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if stopping:
            return 0
        failed = [
            " ".join(cmd)
            for cmd, child in zip(commands, children, strict=False)
            if child.returncode
        ]
        if failed:
            raise CommandError(f"stopped because `newsdesk {failed[0]}` exited")
        return 0
