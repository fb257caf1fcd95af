"""The mail catcher's store: one .eml file per message, as it arrived, in MAILCATCHER_DIR."""

import email
import email.policy
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path

# Names are made here (time + random hex), so anything else in a URL is refused.
NAME = re.compile(r"^\d{8}T\d{6}\d{6}-[0-9a-f]{32}$")


def save(directory: str | Path, mail_from: str, rcpt_tos: Sequence[str], content: bytes) -> str:
    """Stores one message with its envelope, written whole or not at all; returns its name."""
    directory = Path(directory)
    # Readers' mail: for this account's eyes only, whatever the umask.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}"
    envelope = f"Return-Path: <{mail_from}>\r\nX-Envelope-To: {', '.join(rcpt_tos)}\r\n".encode()
    partial = directory / f".{name}.tmp"
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(envelope + content)
    os.replace(partial, directory / f"{name}.eml")
    return name


@dataclass(frozen=True)
class CaughtMessage:
    name: str
    path: Path

    @cached_property
    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.path.read_bytes(), policy=email.policy.default)

    def header(self, name: str) -> str:
        return self.parsed.get(name, "")

    # What the outbox lists, as attributes for templates.
    subject = property(lambda self: self.header("Subject"))
    sender = property(lambda self: self.header("From"))
    recipients = property(lambda self: self.header("To"))
    date = property(lambda self: self.header("Date"))

    @property
    def headers(self) -> list[tuple[str, str]]:
        return list(self.parsed.items())

    def _body(self, subtype):
        part = self.parsed.get_body(preferencelist=(subtype,))
        return (
            part.get_content() if part is not None and part.get_content_subtype() == subtype else ""
        )

    @property
    def text(self) -> str:
        return self._body("plain")

    @property
    def html(self) -> str:
        return self._body("html")


def messages(directory: str | Path) -> list[CaughtMessage]:
    """Every caught message, newest first."""
    paths = sorted(Path(directory).glob("*.eml"), reverse=True) if Path(directory).is_dir() else []
    return [CaughtMessage(path.stem, path) for path in paths if NAME.match(path.stem)]


def get(directory: str | Path, name: str) -> CaughtMessage | None:
    path = Path(directory) / f"{name}.eml"
    return CaughtMessage(name, path) if NAME.match(name) and path.is_file() else None
