"""Importing a subscriber list exported from Ghost, Mailchimp, Substack or a spreadsheet.

The file is read row by row and written in batches, each in its own
transaction: an interrupted import leaves whole batches, and running it again
merges what is already there instead of doubling it. Addresses are checked
exactly like the subscribe form's; an unsubscribe, in the file or already
here, always wins, and so does the suppression list: a row that says the
address bounced puts it there, and a row whose address is already there is
skipped (the report names its row), never imported.
"""

import codecs
import contextlib
import csv
import io
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.log_actions import log

from newsdesk.core import csvcells
from newsdesk.newsletters import log_actions
from newsdesk.newsletters.models import (
    ConsentRecord,
    Newsletter,
    Subscriber,
    SubscriberImport,
    Subscription,
    Suppression,
)
from newsdesk.newsletters.subscribers.addresses import normalise_address
from newsdesk.newsletters.subscribers.subscriptions import Consent

BATCH_SIZE = 500  # rows per transaction; also keeps the lookups' IN lists well under SQLite's parameter limit

IMPORT_WORDING = "Imported from a list kept elsewhere, without confirmation here."
UNSUBSCRIBED_WORDING = (
    "Unsubscribed, bounced or cleaned at the previous service, as the imported list says."
)
# Skipped rather than imported unsubscribed: the editor sees which rows and why, and no
# consent record claims the file said something it did not.
SUPPRESSED = "on the suppression list"

Status = Subscription.Status
Method = Subscription.Method

# A later status never gives way to an earlier one: nothing the file says
# turns an unsubscribe back on, and a confirmed reader is not made pending.
_RANK = {Status.PENDING: 0, Status.CONFIRMED: 1, Status.UNSUBSCRIBED: 2}
_ACTION = {
    Status.PENDING: ConsentRecord.Action.REQUESTED,
    Status.CONFIRMED: ConsentRecord.Action.CONFIRMED,
    Status.UNSUBSCRIBED: ConsentRecord.Action.WITHDRAWN,
}


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass(frozen=True)
class Entry:
    """What one row says, whatever the format."""

    email: str
    name: str = ""
    signed_up: str = ""
    unsubscribed: bool = False
    bounced: bool = False
    row: int = 0  # its row number in the file, header = row 1
    # A Ghost member's standing, for the app that keeps members (see `on_import`).
    complimentary: bool = False
    stripe_customer_id: str = ""
    tiers: str = ""
    is_member: bool = False


def _true(value):
    return (value or "").strip().lower() in {"true", "yes", "1"}


def _ghost(row, headers):
    # Ghost's members export: subscribed_to_emails is "true"/"false"; deleted_at marks a removed member.
    return Entry(
        row["email"],
        name=row.get("name", ""),
        signed_up=row.get("created_at", ""),
        unsubscribed=not _true(row.get("subscribed_to_emails", "true"))
        or bool(row.get("deleted_at")),
        complimentary=_true(row.get("complimentary_plan")),
        stripe_customer_id=(row.get("stripe_customer_id") or "").strip(),
        tiers=(row.get("tiers") or "").strip(),
        is_member=not row.get("deleted_at"),
    )


def _mailchimp(row, headers):
    # Mailchimp exports each audience status as its own file; the unsubscribed
    # and cleaned (bounced) files are the ones with UNSUB_TIME or CLEAN_TIME.
    name = " ".join(part for part in (row.get("First Name", ""), row.get("Last Name", "")) if part)
    return Entry(
        row["Email Address"],
        name=name,
        signed_up=row.get("OPTIN_TIME") or row.get("CONFIRM_TIME", ""),
        unsubscribed="UNSUB_TIME" in headers,
        bounced="CLEAN_TIME" in headers,
    )


def _substack(row, headers):
    # Substack's export: email_disabled is "true" for readers who turned emails off.
    return Entry(
        row["email"],
        name=row.get("name", ""),
        signed_up=row.get("created_at", ""),
        unsubscribed=_true(row.get("email_disabled")),
    )


_PLAIN_EMAIL = ("email", "email address", "e-mail", "e-mail address")


def _plain(row, headers):
    email = next(row[h] for h in headers if h.strip().lower() in _PLAIN_EMAIL)
    name = next((row[h] for h in headers if h.strip().lower() == "name"), "")
    return Entry(email, name=name)


NOT_IN_FILE = "not in the file"


def _columns(headers, *names):
    return ", ".join(name for name in names if name in headers) or NOT_IN_FILE


def _ghost_mapping(headers):
    return {
        "Email": "email",
        "Name": _columns(headers, "name"),
        "Signed up": _columns(headers, "created_at"),
        "Status": _columns(headers, "subscribed_to_emails", "deleted_at"),
    }


def _mailchimp_mapping(headers):
    if "UNSUB_TIME" in headers:
        status = "UNSUB_TIME: an export of unsubscribed readers, all arrive unsubscribed"
    elif "CLEAN_TIME" in headers:
        status = "CLEAN_TIME: an export of cleaned (bounced) addresses, all arrive unsubscribed and suppressed"
    else:
        status = "none: an export of subscribed readers"
    name = " + ".join(c for c in ("First Name", "Last Name") if c in headers) or NOT_IN_FILE
    return {
        "Email": "Email Address",
        "Name": name,
        "Signed up": _columns(headers, "OPTIN_TIME", "CONFIRM_TIME"),
        "Status": status,
    }


def _substack_mapping(headers):
    return {
        "Email": "email",
        "Name": _columns(headers, "name"),
        "Signed up": _columns(headers, "created_at"),
        "Status": "email_disabled",
    }


def _plain_mapping(headers):
    return {
        "Email": next(h for h in headers if h.strip().lower() in _PLAIN_EMAIL),
        "Name": next((h for h in headers if h.strip().lower() == "name"), NOT_IN_FILE),
        "Signed up": NOT_IN_FILE,
        "Status": "none: every row is a subscriber",
    }


@dataclass(frozen=True)
class Format:
    name: str
    columns: frozenset  # the columns that identify it
    read: Callable[[dict, list], Entry]
    mapping: Callable[[list], dict]  # what each column means, as the admin's preview shows it


# Ghost's members export, column for column; the subscriber export offers the same layout (exports.py).
GHOST_COLUMNS = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
]

# The first match wins, plain CSV last.
FORMATS = [
    Format(
        "Ghost",
        frozenset({"email", "subscribed_to_emails", "complimentary_plan"}),
        _ghost,
        _ghost_mapping,
    ),
    Format("Mailchimp", frozenset({"Email Address", "OPTIN_TIME"}), _mailchimp, _mailchimp_mapping),
    Format(
        "Substack",
        frozenset({"email", "active_subscription", "email_disabled"}),
        _substack,
        _substack_mapping,
    ),
]
PLAIN_CSV = Format("CSV", frozenset(), _plain, _plain_mapping)


def _format(headers):
    for format_ in FORMATS:
        if format_.columns <= set(headers):
            return format_
    if any(h.strip().lower() in _PLAIN_EMAIL for h in headers):
        return PLAIN_CSV
    raise UnreadableFile(
        "No email column found: expected a Ghost, Mailchimp or Substack export, or a CSV with an "
        f"“email” column. The first row has: {', '.join(headers) or 'nothing'}."
    )


def _encoding(stream):
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is read as Latin-1, which never fails."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # One pass in chunks decides, so a stray byte near the end is not misread nor held in memory.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(1 << 16):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"
    finally:
        stream.seek(0)


@dataclass
class Report:
    """What an import did; the command prints it and the admin shows it, both from summary()."""

    format: str = ""
    rows_read: int = 0
    imported: int = 0
    merged: int = 0
    skipped: dict[str, list[int]] = field(
        default_factory=dict
    )  # reason → row numbers, header = row 1
    notes: dict[str, list[int]] = field(default_factory=dict)  # warning → row numbers

    @classmethod
    def of(cls, upload: SubscriberImport) -> "Report":
        """The report of a SubscriberImport, as far as it has got."""
        return cls(
            format=upload.format,
            rows_read=upload.rows_read,
            imported=upload.imported,
            merged=upload.merged,
            skipped=upload.skipped,
            notes=upload.notes,
        )

    def skip(self, reason: str, row: int) -> None:
        self.skipped.setdefault(reason, []).append(row)

    def note(self, warning: str, row: int) -> None:
        """Imported, with something the operator should know."""
        self.notes.setdefault(warning, []).append(row)

    def summary(self) -> list[tuple[str, int]]:
        """(label, count) pairs, in the order both the command and the admin give them."""
        return [
            ("Rows read", self.rows_read),
            ("Imported", self.imported),
            ("Merged with existing subscribers", self.merged),
            ("Skipped", sum(len(rows) for rows in self.skipped.values())),
        ]

    def lines(self) -> list[str]:
        lines = [f"Format: {self.format}"] + [
            f"{label}: {count}" for label, count in self.summary()
        ]
        lines += [
            f"  {reason}: rows {', '.join(map(str, rows))}" for reason, rows in self.skipped.items()
        ]
        lines += [
            f"Note: {warning}: rows {', '.join(map(str, rows))}"
            for warning, rows in self.notes.items()
        ]
        return lines


# What else an import brings, given each batch of entries once written: the members
# app makes the members of a Ghost export. function(entries, report), in the batch's transaction.
IMPORT_HOOKS: list[Callable[[list[Entry], Report], None]] = []


def on_import(function: Callable[[list[Entry], Report], None]) -> None:
    IMPORT_HOOKS.append(function)


@contextmanager
def _reader(stream):
    """A csv reader over the decoded stream, its headers and their Format."""
    text = io.TextIOWrapper(stream, encoding=_encoding(stream), newline="")
    reader = csv.reader(text)
    try:
        try:
            headers = [h.strip() for h in next(reader)]
        except StopIteration:
            raise UnreadableFile("The file is empty.") from None
        except csv.Error as error:
            raise UnreadableFile(f"The first row cannot be read as CSV: {error}.") from error
        yield reader, headers, _format(headers)
    finally:
        # Discarded, the wrapper would close the caller's stream, which reports progress and is the caller's to close.
        text.detach()


@dataclass
class Preview:
    format: Format
    headers: list[str]
    rows: list[list[str]]

    @property
    def mapping(self) -> dict[str, str]:
        return self.format.mapping(self.headers)


def preview(stream: BinaryIO, rows: int = 5) -> Preview:
    """The format, column mapping and first rows of a file, as they would be imported; writes nothing."""
    with _reader(stream) as (reader, headers, format_):
        first = []
        # The import reports a broken row with its number; the preview shows the rows before it.
        with contextlib.suppress(csv.Error):
            first += islice(reader, rows)
    return Preview(format_, headers, first)


def _entries(stream, report):
    """An Entry with a normalised address for each usable row; the others are counted in the report."""
    with _reader(stream) as (reader, headers, format_):
        report.format = format_.name
        number = 1
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                report.rows_read += 1
                report.skip(f"unreadable ({error})", number)
                continue
            if not any(
                values
            ):  # an empty line keeps its row number, as in a spreadsheet, but is not a row read
                continue
            report.rows_read += 1
            if len(values) != len(headers):
                report.skip(f"{len(values)} fields where the first row has {len(headers)}", number)
                continue
            # Cells a spreadsheet-safe export (ours: exports.py) guarded with an apostrophe.
            values = [csvcells.original(value) for value in values]
            entry = format_.read(dict(zip(headers, values, strict=False)), headers)
            if not entry.email.strip():
                report.skip("no email address", number)
                continue
            try:
                yield replace(entry, email=normalise_address(entry.email), row=number)
            except ValidationError as error:
                report.skip(error.messages[0], number)


def _signed_up(value, now):
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        return now
    # The services' exports are in UTC when they do not say.
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _unsuppressed(batch, source, report):
    """The entries whose address is not on the suppression list; bounced ones put theirs there.

    An address a row suppresses counts as suppressed for the rows after it, as
    it would in a later batch, so the report does not depend on batch size.
    """
    suppressed = set(
        Suppression.objects.filter(email__in={e.email.lower() for e in batch}).values_list(
            "email", flat=True
        )
    )
    kept, bounced = [], []
    for entry in batch:
        key = entry.email.lower()
        if key in suppressed:
            report.skip(SUPPRESSED, entry.row)
            continue
        kept.append(entry)
        if entry.bounced:
            suppressed.add(key)
            bounced.append(Suppression(email=key, reason=Suppression.Reason.BOUNCED, source=source))
    # Another process may have suppressed it meanwhile: its reason, the first, is kept.
    Suppression.objects.bulk_create(bounced, ignore_conflicts=True)
    return kept


def _statement(model, columns, template):
    quote = connection.ops.quote_name
    names = [quote(model._meta.get_field(column).column) for column in columns]
    return template.format(
        table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column),
        names=names,
        columns=", ".join(names),
        values=", ".join(["%s"] * len(names)),
    )


def _execute_many(statement, rows):
    # The writes skip the ORM: building bulk_create's and bulk_update's model
    # instances and SQL took about half an import's time, far more than the
    # database. So the values must be as the database takes them (_db_time).
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)


def _insert(model, columns, rows):
    _execute_many(
        _statement(model, columns, "INSERT INTO {table} ({columns}) VALUES ({values})"), rows
    )


def _update(model, columns, rows):
    """Each row is the columns' new values, then the primary key."""
    template = (
        "UPDATE {table} SET "
        + ", ".join(f"{{names[{i}]}} = %s" for i in range(len(columns)))
        + " WHERE {pk} = %s"
    )
    _execute_many(_statement(model, columns, template), rows)


def _db_time(moment):
    return connection.ops.adapt_datetimefield_value(moment)


def _subscribers(keys):
    """Lower-cased address → (pk, name) of the subscribers with these addresses."""
    found = (
        Subscriber.objects.annotate(key=Lower("email"))
        .filter(key__in=keys)
        .values_list("key", "pk", "name")
    )
    return {key: (pk, name) for key, pk, name in found}


@dataclass(slots=True)
class _Subscription:
    """A subscription as the batch leaves it; before: its status in the database, None if new."""

    before: str | None
    status: str
    pk: int | None = None
    requested_at: object = None  # as the database takes it (_db_time); only written, for a new one
    confirmed_at: datetime | None = None
    unsubscribed_at: datetime | None = None
    unsubscribe_method: str = ""


_SUBSCRIPTION_STATE = ["status", "confirmed_at", "unsubscribed_at", "unsubscribe_method"]


def _write(newsletter, batch, confirmed, consent, source, report):
    """Merges one batch into the database; the caller makes it one transaction."""
    now = timezone.now()
    batch = _unsuppressed(batch, source, report)
    first, names = {}, {}  # lower-cased address → its first entry, its first name
    for entry in batch:
        key = entry.email.lower()
        first.setdefault(key, entry)
        if entry.name:
            names.setdefault(key, entry.name)
    # As the database takes it: it is only written, as created_at and as requested_at.
    signed_up = {key: _db_time(_signed_up(entry.signed_up, now)) for key, entry in first.items()}

    subscribers = _subscribers(first)
    new = [key for key in first if key not in subscribers]
    _insert(
        Subscriber,
        ["email", "name", "created_at"],
        [(first[key].email, names.get(key, ""), signed_up[key]) for key in new],
    )
    if new:
        subscribers |= _subscribers(new)
    _update(
        Subscriber,
        ["name"],
        [(names[key], pk) for key, (pk, name) in subscribers.items() if not name and key in names],
    )

    current = {
        subscriber: _Subscription(status, status, pk, None, *rest)
        for subscriber, pk, status, *rest in Subscription.objects.filter(
            newsletter=newsletter, subscriber__in=[pk for pk, _ in subscribers.values()]
        ).values_list("subscriber", "pk", *_SUBSCRIPTION_STATE)
    }
    for entry in batch:
        key = entry.email.lower()
        subscriber = subscribers[key][0]
        subscription = current.get(subscriber)
        if subscription is None:
            report.imported += 1
            subscription = current[subscriber] = _Subscription(
                None, Status.PENDING, requested_at=signed_up[key]
            )
        else:
            report.merged += 1
        status = Status.UNSUBSCRIBED if entry.unsubscribed or entry.bounced else confirmed
        if _RANK[status] > _RANK[subscription.status]:
            subscription.status = status
            if status == Status.CONFIRMED:
                subscription.confirmed_at = now
            elif status == Status.UNSUBSCRIBED:
                subscription.unsubscribed_at = now
                subscription.unsubscribe_method = (
                    Method.IMPORTED_BOUNCED if entry.bounced else Method.IMPORTED
                )

    def state(s):
        return s.status, _db_time(s.confirmed_at), _db_time(s.unsubscribed_at), s.unsubscribe_method

    added = {subscriber: s for subscriber, s in current.items() if s.before is None}
    _insert(
        Subscription,
        ["subscriber", "newsletter", "requested_at", *_SUBSCRIPTION_STATE],
        [(subscriber, newsletter.pk, s.requested_at, *state(s)) for subscriber, s in added.items()],
    )
    for subscriber, pk in Subscription.objects.filter(
        newsletter=newsletter, subscriber__in=list(added)
    ).values_list("subscriber", "pk"):
        added[subscriber].pk = pk
    changed = [s for s in current.values() if s.status != s.before]
    _update(
        Subscription,
        _SUBSCRIPTION_STATE,
        [(*state(s), s.pk) for s in changed if s.before is not None],
    )

    at, ip_address = _db_time(now), connection.ops.adapt_ipaddressfield_value(consent.ip_address)
    records = []
    for s in changed:
        withdrawn = s.status == Status.UNSUBSCRIBED
        records.append(
            (
                s.pk,
                _ACTION[s.status],
                s.unsubscribe_method if withdrawn else Method.IMPORTED,
                at,
                ip_address,
                consent.user_agent,
                consent.source_url,
                UNSUBSCRIBED_WORDING if withdrawn else consent.wording,
            )
        )
    _insert(
        ConsentRecord,
        [
            "subscription",
            "action",
            "method",
            "at",
            "ip_address",
            "user_agent",
            "source_url",
            "wording",
        ],
        records,
    )


def import_subscribers(
    newsletter: Newsletter,
    stream: BinaryIO,
    file_name: str,
    *,
    user: AbstractBaseUser | None = None,
    consent_source: str | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[Report, float], None] | None = None,
) -> Report:
    """Imports a binary, seekable CSV stream into newsletter and returns the Report.

    consent_source: the operator's statement of where the readers agreed; given,
    the imported addresses are confirmed, otherwise they stay pending and are
    sent nothing. progress(report, share of the file read) is called after each
    batch is committed. Raises UnreadableFile, having written nothing, when the
    file as a whole cannot be read. A real run is recorded in the audit log
    under user, the one who brought the list.
    """
    report = Report()
    confirmed = Status.CONFIRMED if consent_source else Status.PENDING
    consent = Consent(
        ip_address=None,
        user_agent="",
        source_url=file_name[:500],
        wording=consent_source or IMPORT_WORDING,
    )
    source = f"import: {file_name}"[: Suppression._meta.get_field("source").max_length]
    size = stream.seek(0, io.SEEK_END) or 1
    stream.seek(0)
    # A dry run does everything in one transaction and rolls it back, so its
    # report counts exactly what a real run would.
    with transaction.atomic() if dry_run else nullcontext():
        entries = _entries(stream, report)
        while batch := list(islice(entries, batch_size)):
            with transaction.atomic():
                _write(newsletter, batch, confirmed, consent, source, report)
                for hook in IMPORT_HOOKS:
                    hook(batch, report)
            if progress:
                # The decoder reads ahead a little, so this is the share read, not yet all written.
                progress(report, min(stream.tell() / size, 1.0))
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        log(
            newsletter,
            log_actions.IMPORT,
            user=user,
            data={
                "file": file_name,
                "confirmed": bool(consent_source),
                "imported": report.imported,
                "merged": report.merged,
                "skipped": sum(len(rows) for rows in report.skipped.values()),
            },
        )
    return report
