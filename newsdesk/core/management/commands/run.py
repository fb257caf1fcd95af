import io
import logging
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

logger = logging.getLogger("newsdesk.run")

# A child that dies is started again after the first delay, doubling up to the
# second while it keeps dying; one that served a while gets the first again.
RESTART_DELAYS = (1, 30)
SERVED_A_WHILE = 60
# A child that dies this many times in a row without serving SERVED_A_WHILE
# since `run` started cannot start at all (its port taken, say): `run` stops.
FAILED_STARTS = 5


class Child:
    """One of the site's processes, started again whenever it dies."""

    def __init__(self, command):
        self.command = command
        self.name = "newsdesk " + " ".join(command)
        self.process = None
        self.restart_at = 0.0
        self.delay = RESTART_DELAYS[0]
        self.failed_starts = 0
        self.ever_served = False

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "newsdesk", *self.command])
        self.started = time.monotonic()

    def look_after(self, now):
        """Starts the child again when it is due; raises CommandError when it cannot start at all."""
        if self.process is None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        self.process = None
        if now - self.started >= SERVED_A_WHILE:
            self.ever_served = True
            self.delay = RESTART_DELAYS[0]
            self.failed_starts = 0
        self.failed_starts += 1
        if not self.ever_served and self.failed_starts >= FAILED_STARTS:
            raise CommandError(f"stopped because `{self.name}` exited")
        how = f"on signal {-code}" if code < 0 else f"with status {code}"
        logger.warning("`%s` exited %s; starting it again in %d s", self.name, how, self.delay)
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, RESTART_DELAYS[1])


class Command(BaseCommand):
    help = (
        "Prepares the database and runs the whole site in the foreground: web server, "
        "task worker and (without EMAIL_URL) the mail catcher, until SIGINT or SIGTERM."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.NEWSDESK_DEMO:
            call_command("load_demo", if_empty=True, stdout=self.stdout)
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
            editor = io.StringIO()
            call_command("demo_editor", password=settings.NEWSDESK_DEMO_PASSWORD, stdout=editor)
            lines.append(editor.getvalue().strip())
        else:
            lines.append("Create an editor account with: .venv/bin/newsdesk createsuperuser")
        lines.append("Press Ctrl-C to stop.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def supervise(self, *commands):
        """Runs each command as a child process, starting again any that dies, until a signal stops them all."""
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        children = [Child(command) for command in commands]
        try:
            while not stopping:
                now = time.monotonic()
                for child in children:
                    child.look_after(now)
                time.sleep(0.2)
        finally:
            running = [child.process for child in children if child.process]
            for process in running:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in running:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        return 0
