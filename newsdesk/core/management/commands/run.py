import io
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from newsdesk.core import queues

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

logger = logging.getLogger("newsdesk.run")

# A child that dies is started again after the first delay, doubling up to the
# second while it keeps dying; one that served a while gets the first again.
RESTART_DELAYS = (1, 30)
SERVED_A_WHILE = 60
# A child that dies this many times in a row without serving SERVED_A_WHILE
# since `run` started cannot start at all (its port taken, say): `run` stops.
FAILED_STARTS = 5
# How often the progress of background work is looked at.
PROGRESS_EVERY = 3


class Child:
    """One of the site's processes, started again whenever it dies."""

    def __init__(self, command):
        self.command = command
        # What it is, without its options: "newsdesk worker narration".
        options = {i + 1 for i, word in enumerate(command) if word.startswith("-")}
        self.name = "newsdesk " + " ".join(
            word for i, word in enumerate(command) if not word.startswith("-") and i not in options
        )
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
        "task workers and (without EMAIL_URL) the mail catcher, until SIGINT or SIGTERM. "
        "It says what a person wants to know (the addresses, what is published, sent or "
        "narrated, errors); -v 2 or NEWSDESK_LOG_LEVEL adds every task and request."
    )

    def handle(self, *args, verbosity, **options):
        # Each line as it is written, also into a pipe (`make run | tee`, a test).
        sys.stdout.reconfigure(line_buffering=True)
        # Routine chatter (each task's start and end, gunicorn's boot lines) only when asked.
        chatty = verbosity >= 2 or bool(settings.NEWSDESK_LOG_LEVEL)
        self.check_ports()
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.NEWSDESK_DEMO:
            call_command("load_demo", if_empty=True, stdout=self.stdout)
        banner = self.banner()
        self.stdout.write(self.style.SUCCESS(banner))
        # Without EMAIL_URL the site's mail goes to the development mail catcher.
        quiet = [] if chatty else ["--verbosity", "0"]
        mail = [] if settings.EMAIL_URL else [["mailcatcher", *quiet]]
        # A queue of long work (narration) gets a worker of its own at a low OS priority,
        # so readers' pages and mail take the cores first (core/queues.py).
        apart = queues.set_apart_queues()
        workers = [
            ["worker", *[q for q in settings.TASK_QUEUES if q not in apart], *quiet],
            *[["worker", queue, "--nice", str(nice), *quiet] for queue, nice in apart.items()],
        ]
        self.stdout.write(
            "Starting the web server, the task workers"
            + ("…" if settings.EMAIL_URL else " and the mail catcher…")
        )
        sys.exit(
            self.supervise(
                ["web", *quiet],
                *workers,
                *mail,
                ready=lambda: self.stdout.write(self.style.SUCCESS(f"Ready.\n{banner}")),
            )
        )

    def check_ports(self):
        """A port taken (another `make run`, say) gets a sentence saying what to do, not a traceback."""
        ports = [("web server", settings.HOST, settings.PORT, "PORT")]
        if not settings.EMAIL_URL:
            ports.append(
                (
                    "mail catcher",
                    "127.0.0.1",
                    settings.MAILCATCHER_PORT,
                    "NEWSDESK_MAILCATCHER_PORT",
                )
            )
        for name, host, port, variable in ports:
            if not port_free(host, port):
                raise CommandError(
                    f"Port {port} on {host}, for the {name}, is taken (another newsdesk running?): "
                    f"stop what uses it, or choose another port, e.g. {variable}={port + 1} make run"
                )

    def banner(self):
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
        return "\n".join(lines)

    def supervise(self, *commands, ready=None):
        """Runs each command as a child process, starting again any that dies, until a signal stops them all.

        Calls `ready` once the site first answers, and says how far the background work is.
        """
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        children = [Child(command) for command in commands]
        answered = threading.Event()
        if ready:
            threading.Thread(target=wait_for_site, args=(answered,), daemon=True).start()
        progress = Progress(self.stdout)
        try:
            while not stopping:
                now = time.monotonic()
                for child in children:
                    child.look_after(now)
                if ready and answered.is_set():
                    ready()
                    ready = None
                progress.look(now)
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


def port_free(host, port):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_for_site(answered):
    """Sets `answered` once the home page answers (any status: a 500 is the site answering too)."""
    url = f"http://{settings.HOST}:{settings.PORT}/"
    while True:
        try:
            urllib.request.urlopen(url, timeout=30).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.5)
    answered.set()


class Progress:
    """A line each time the work of a queue set apart advances ("Narrating: 3 of 14 stories done").

    Counted from when the queue was first seen with work waiting, until it has none.
    """

    def __init__(self, out):
        self.out = out
        self.started = timezone.now()
        self.next_look = 0.0
        self.since = {}
        self.said = {}

    def look(self, now):
        if now < self.next_look:
            return
        self.next_look = now + PROGRESS_EVERY
        for queue in queues.set_apart_queues():
            try:
                self.look_at(queue)
            except DatabaseError:
                return  # the database busy or away: the next look says it

    def look_at(self, queue):
        since = self.since.get(queue) or timezone.now()
        counts = queues.backlog(queue, since, self.started)
        if counts is None:
            return
        done, waiting = counts
        if not waiting:
            self.since.pop(queue, None)
            if not self.said.pop(queue, None):
                return
        else:
            self.since[queue] = since
        if self.said.get(queue) != (done, waiting):
            self.out.write(queues.describe(queue, done, done + waiting))
            if waiting:
                self.said[queue] = (done, waiting)
