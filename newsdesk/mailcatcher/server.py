"""A real SMTP server on loopback (aiosmtpd) that keeps every message instead of delivering it."""

from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from newsdesk.mailcatcher import store


class CatchingHandler:
    def __init__(self, directory: str | Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        store.save(self.directory, envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
        return "250 Message caught"


def start(directory: str | Path, host: str, port: int) -> Controller:
    """Starts the catcher in a background thread; call .stop() on the result to end it."""
    controller = Controller(
        CatchingHandler(directory), hostname=host, port=port, enable_SMTPUTF8=True
    )
    controller.start()
    return controller
