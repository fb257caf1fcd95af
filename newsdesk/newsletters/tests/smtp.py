"""A real SMTP server on loopback for the sending tests: it counts what it takes, and can misbehave on request."""

import asyncio
import email
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """Accepts every message, unless told to answer some recipients otherwise or to wait before answering."""

    def __init__(self, port=None, delay=0.0, smtputf8=True):
        self.port = port or free_port()
        self.delay = delay
        self.smtputf8 = smtputf8  # offers SMTPUTF8, as most servers do
        self.mail_options = []  # the MAIL FROM options of each message taken
        self.answers = {}  # recipient -> SMTP answer to give instead of accepting
        self.received = []
        self.raw = []
        self.clients = Counter()  # messages per client connection (address, port)
        self.lock = threading.Lock()
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.answers.get(address)
        if answer and answer.startswith("4"):
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = self.answers.get(envelope.rcpt_tos[0])
        if answer:
            return answer
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content)
        with self.lock:
            self.received.append((envelope.rcpt_tos[0], message))
            self.raw.append(envelope.original_content)
            self.mail_options.append(envelope.mail_options)
            self.clients[session.peer] += 1
        return f"250 2.0.0 Ok: queued as {len(self.received)}"

    def start(self):
        self.controller = Controller(
            self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8
        )
        self.controller.start()
        return self

    def stop(self):
        """Stops listening: connections are refused until start() again."""
        self.controller.stop()

    def message_ids(self):
        with self.lock:
            return Counter(message["Message-ID"] for _, message in self.received)

    def ids_by_recipient(self):
        with self.lock:
            found = {}
            for recipient, message in self.received:
                found.setdefault(recipient, set()).add(message["Message-ID"])
            return found
