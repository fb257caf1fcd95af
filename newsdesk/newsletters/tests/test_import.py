"""Importing subscriber lists exported from Ghost, Mailchimp, Substack and spreadsheets."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.newsletters.imports import importer as imports
from newsdesk.newsletters.imports.importer import UnreadableFile, import_subscribers
from newsdesk.newsletters.models import ConsentRecord, Subscriber, Subscription, Suppression
from newsdesk.newsletters.subscribers.addresses import INVALID

pytestmark = pytest.mark.django_db

Status = Subscription.Status

# Each service's export header, as its documentation and real exports have it.
GHOST = "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers"
MAILCHIMP = (
    "Email Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
    "CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"
)
MAILCHIMP_UNSUBSCRIBED = MAILCHIMP.replace(
    "LEID", "UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,LEID"
)
MAILCHIMP_CLEANED = MAILCHIMP.replace(
    "LEID", "CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID,LEID"
)
SUBSTACK = "email,active_subscription,expiry,plan,email_disabled,created_at"


def mailchimp_row(email, first="", last="", optin="", extra=()):
    return ",".join(
        [
            email,
            first,
            last,
            "",
            "",
            "2",
            optin,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            *extra,
            "leid",
            "euid",
            "",
            "",
        ]
    )


def run(newsletter, text, *, encoding="utf-8", name="list.csv", **options):
    data = text.encode(encoding) if isinstance(text, str) else text
    return import_subscribers(newsletter, io.BytesIO(data), name, **options)


def statuses(newsletter):
    return {
        s.subscriber.email: s.status for s in Subscription.objects.filter(newsletter=newsletter)
    }


def test_ghost_members_export(newsletters):
    briefing = newsletters["briefing"]
    report = run(
        briefing,
        "\n".join(
            [
                GHOST,
                "6a1,ada@example.org,Ada Lovelace,,true,false,,2021-03-04T05:06:07.000Z,,,",
                "6a2,bob@example.org,Bob,,false,false,,2022-01-01T00:00:00.000Z,,,",
                "6a3,cy@example.org,Cy,,true,false,,2022-01-01T00:00:00.000Z,2023-01-01T00:00:00.000Z,,",
            ]
        ),
    )
    assert (report.format, report.rows_read, report.imported, report.merged) == ("Ghost", 3, 3, 0)
    assert statuses(briefing) == {
        "ada@example.org": Status.PENDING,
        "bob@example.org": Status.UNSUBSCRIBED,
        "cy@example.org": Status.UNSUBSCRIBED,
    }
    ada = Subscription.objects.get(subscriber__email="ada@example.org")
    assert ada.subscriber.name == "Ada Lovelace"
    assert ada.requested_at == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert ada.confirmed_at is None
    bob = Subscription.objects.get(subscriber__email="bob@example.org")
    assert bob.unsubscribe_method == Subscription.Method.IMPORTED
    assert bob.consents.get().action == ConsentRecord.Action.WITHDRAWN
    assert ada.consents.get().action == ConsentRecord.Action.REQUESTED


def test_mailchimp_audience_exports(newsletters):
    briefing = newsletters["briefing"]
    subscribed = run(
        briefing,
        "\r\n".join(
            [MAILCHIMP, mailchimp_row("ada@example.org", "Ada", "Lovelace", "2020-05-06 07:08:09")]
        ),
    )
    assert (subscribed.format, subscribed.imported) == ("Mailchimp", 1)
    ada = Subscription.objects.get(subscriber__email="ada@example.org")
    assert (ada.subscriber.name, ada.status) == ("Ada Lovelace", Status.PENDING)
    assert ada.requested_at == datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)

    unsubscribed = mailchimp_row(
        "bob@example.org", extra=["2023-01-01 00:00:00", "Weekly", "c1", "NORMAL", ""]
    )
    run(briefing, f"{MAILCHIMP_UNSUBSCRIBED}\n{unsubscribed}", consent_source="Old form")
    cleaned = mailchimp_row("cy@example.org", extra=["2023-01-01 00:00:00", "Weekly", "c1"])
    run(briefing, f"{MAILCHIMP_CLEANED}\n{cleaned}", consent_source="Old form")
    bob, cy = (
        Subscription.objects.get(subscriber__email=e) for e in ("bob@example.org", "cy@example.org")
    )
    # Confirmed imports still never confirm a row that says the reader left or bounced.
    assert (bob.status, bob.unsubscribe_method) == (
        Status.UNSUBSCRIBED,
        Subscription.Method.IMPORTED,
    )
    assert (cy.status, cy.unsubscribe_method) == (
        Status.UNSUBSCRIBED,
        Subscription.Method.IMPORTED_BOUNCED,
    )
    assert bob.confirmed_at is None and cy.confirmed_at is None


def cleaned_export(*emails):
    return "\n".join(
        [
            MAILCHIMP_CLEANED,
            *(mailchimp_row(e, extra=["2023-01-01 00:00:00", "Weekly", "c1"]) for e in emails),
        ]
    )


def test_cleaned_addresses_arrive_unsubscribed_and_suppressed_in_bulk(newsletters):
    briefing = newsletters["briefing"]
    dry = run(briefing, cleaned_export("cy@example.org"), name="cleaned.csv", dry_run=True)
    assert (
        dry.imported == 1 and not Suppression.objects.exists()
    )  # a dry run writes nothing here either

    def queries(emails, name):
        with CaptureQueriesContext(connection) as captured:
            run(briefing, cleaned_export(*emails), name=name, consent_source="Old form")
        return len(captured)

    one = queries(["Cy@EXAMPLE.org"], "cleaned.csv")
    many = queries([f"gone{n}@example.org" for n in range(20)], "cleaned-" + "x" * 200 + ".csv")
    assert many == one  # one insert per batch, not one query per row
    cy = Suppression.objects.get(email="cy@example.org")
    assert (cy.reason, cy.source) == (Suppression.Reason.BOUNCED, "import: cleaned.csv")
    assert (
        Suppression.objects.get(email="gone0@example.org").source
        == ("import: cleaned-" + "x" * 200)[:100]
    )
    assert Suppression.objects.count() == 21
    assert set(statuses(briefing).values()) == {Status.UNSUBSCRIBED}


@pytest.mark.parametrize("batch_size", [1, 500])
def test_suppressed_addresses_are_skipped_and_reported(newsletters, subscribe, batch_size):
    briefing = newsletters["briefing"]
    subscribe("kept@example.org")
    Suppression.suppress("Kept@Example.org", Suppression.Reason.COMPLAINED, "mailgun")
    Suppression.suppress("spam@example.org", Suppression.Reason.COMPLAINED, "mailgun")
    report = run(
        briefing,
        "email\nada@example.org\nSPAM@example.org\nkept@example.org\n",
        consent_source="Old form",
        batch_size=batch_size,
    )
    assert (report.imported, report.merged, report.skipped) == (1, 0, {imports.SUPPRESSED: [3, 4]})
    # Neither confirmed nor made pending by the file: the form's pending subscription is left as it was.
    assert statuses(briefing) == {
        "ada@example.org": Status.CONFIRMED,
        "kept@example.org": Status.PENDING,
    }
    assert not Subscriber.objects.filter(email__iexact="spam@example.org").exists()
    assert Suppression.objects.get(email="spam@example.org").reason == Suppression.Reason.COMPLAINED

    # An address a cleaned row suppresses is suppressed for the rows after it, whatever the batches.
    report = run(
        briefing, cleaned_export("cy@example.org", "CY@example.org"), batch_size=batch_size
    )
    assert (report.imported, report.skipped) == (1, {imports.SUPPRESSED: [3]})


def test_substack_export(newsletters):
    briefing = newsletters["briefing"]
    report = run(
        briefing,
        "\n".join(
            [
                SUBSTACK,
                "ada@example.org,true,2026-01-01,yearly,false,2021-03-04T05:06:07.000Z",
                "bob@example.org,false,,,true,2021-03-04T05:06:07.000Z",
            ]
        ),
    )
    assert report.format == "Substack"
    assert statuses(briefing) == {
        "ada@example.org": Status.PENDING,
        "bob@example.org": Status.UNSUBSCRIBED,
    }


def test_plain_csv_and_addresses_checked_like_the_form(newsletters):
    briefing = newsletters["briefing"]
    report = run(
        briefing,
        "\n".join(
            [
                "Name,E-mail,Notes",
                "Ada,  Ada@EXAMPLE.org ,",
                "Bob,not-an-address,",
                "Cy,,",
                "Di,di@example.org;x@example.org,",
            ]
        ),
    )
    assert (report.format, report.rows_read, report.imported) == ("CSV", 4, 1)
    # Stored exactly as the form would store it: the domain lower-cased, the mailbox kept.
    assert Subscriber.objects.get().email == "Ada@example.org"
    assert report.skipped == {
        INVALID: [3],
        "no email address": [4],
        "Enter one email address only.": [5],
    }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1"])
def test_encodings(newsletters, encoding):
    briefing = newsletters["briefing"]
    run(briefing, "email,name\r\nzoe@example.org,Zoë Müller\r\n", encoding=encoding)
    assert Subscriber.objects.get().name == "Zoë Müller"


def test_quoted_fields_crlf_and_broken_rows(newsletters):
    briefing = newsletters["briefing"]
    text = (
        "email,name,note\r\n"
        'ada@example.org,"Lovelace, Ada","line one\r\nline two"\r\n'
        "bob@example.org,Bob\r\n"  # a field short
        "\r\n"  # an empty line: skipped without a word, but it keeps its row number
        "cy@example.org,Cy,,surplus\r\n"
        'di@example.org,"Di, ""the"" reader",\r\n'
    )
    report = run(briefing, text)
    assert set(statuses(briefing)) == {"ada@example.org", "di@example.org"}
    assert Subscriber.objects.get(email="ada@example.org").name == "Lovelace, Ada"
    assert Subscriber.objects.get(email="di@example.org").name == 'Di, "the" reader'
    assert (report.rows_read, report.imported) == (4, 2)
    assert report.skipped == {
        "2 fields where the first row has 3": [3],
        "4 fields where the first row has 3": [5],
    }


def test_unreadable_rows_are_reported_and_the_rest_imported(newsletters):
    briefing = newsletters["briefing"]
    report = run(briefing, 'email\n"' + "x" * 200_000 + '"\na\x00b@example.org\nok@example.org\n')
    assert set(statuses(briefing)) == {"ok@example.org"}
    assert report.skipped == {
        "unreadable (field larger than field limit (131072))": [2],
        "An email address cannot contain line breaks or control characters.": [3],
    }


def test_a_file_without_an_email_column_writes_nothing(newsletters):
    with pytest.raises(UnreadableFile, match=r"No email column found.*first row has: id, name"):
        run(newsletters["briefing"], "id,name\n1,Ada\n")
    with pytest.raises(UnreadableFile, match="empty"):
        run(newsletters["briefing"], "")
    assert not Subscriber.objects.exists()


def test_duplicates_merge_and_unsubscribes_win(newsletters, subscribe):
    briefing = newsletters["briefing"]
    left = Subscription.objects.create(
        subscriber=Subscriber.objects.create(email="left@example.org"),
        newsletter=briefing,
        status=Status.UNSUBSCRIBED,
    )
    subscribe("form@example.org")
    text = "\n".join(
        [
            "email",
            "left@example.org",
            "new@example.org",
            "NEW@example.org",
            "form@example.org",
            "twice@example.org",
            "twice@example.org",
        ]
    )
    report = run(briefing, text, consent_source="Printed sign-up sheets, 2024")
    assert (report.rows_read, report.imported, report.merged) == (6, 2, 4)
    assert Subscriber.objects.filter(email__iexact="new@example.org").count() == 1
    assert Subscription.objects.filter(newsletter=briefing).count() == 4
    assert statuses(briefing) == {
        "left@example.org": Status.UNSUBSCRIBED,
        "new@example.org": Status.CONFIRMED,
        "form@example.org": Status.CONFIRMED,
        "twice@example.org": Status.CONFIRMED,
    }
    left.refresh_from_db()
    assert left.consents.count() == 0 and left.confirmed_at is None
    # An unsubscribe later in the file also wins over the same address earlier in it.
    run(
        briefing,
        "email,subscribed_to_emails,complimentary_plan\nlate@example.org,true,false\n"
        "late@example.org,false,false\n",
    )
    assert statuses(briefing)["late@example.org"] == Status.UNSUBSCRIBED


def test_confirmed_import_records_the_consent(newsletters):
    briefing = newsletters["briefing"]
    before = datetime.now(UTC)
    run(
        briefing,
        "email\nada@example.org\n",
        name="ghost-members.csv",
        consent_source="Ghost signup form, 2019–2025",
    )
    subscription = Subscription.objects.get()
    assert subscription.status == Status.CONFIRMED and subscription.confirmed_at >= before
    record = subscription.consents.get()
    assert (record.action, record.method) == (
        ConsentRecord.Action.CONFIRMED,
        Subscription.Method.IMPORTED,
    )
    assert record.wording == "Ghost signup form, 2019–2025"
    assert record.source_url == "ghost-members.csv"
    assert record.at == subscription.confirmed_at
    assert record.ip_address is None and record.user_agent == ""


def test_dry_run_writes_nothing_and_reports_the_same(newsletters):
    briefing = newsletters["briefing"]
    text = "email\nada@example.org\nada@example.org\nbad\n"
    dry = run(briefing, text, dry_run=True, batch_size=1)
    assert not (
        Subscriber.objects.exists()
        or Subscription.objects.exists()
        or ConsentRecord.objects.exists()
    )
    assert dry == run(briefing, text, batch_size=1)
    assert (dry.rows_read, dry.imported, dry.merged, dry.skipped) == (3, 1, 1, {INVALID: [4]})


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_import_finishes_on_rerun_without_duplicates(newsletters, monkeypatch):
    briefing = newsletters["briefing"]
    text = (
        "email\n" + "".join(f"reader{n}@example.org\n" for n in range(5)) + "reader0@example.org\n"
    )
    write, calls = imports._write, []

    def interrupted(*args):
        write(*args)
        calls.append(1)
        if len(calls) == 2:  # after the second batch is written, before its transaction commits
            raise KeyboardInterrupt

    monkeypatch.setattr(imports, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(briefing, text, batch_size=2)
    assert set(statuses(briefing)) == {
        "reader0@example.org",
        "reader1@example.org",
    }  # the first batch, whole
    monkeypatch.setattr(imports, "_write", write)
    report = run(briefing, text, batch_size=2)
    assert (report.imported, report.merged) == (3, 3)
    assert (
        Subscriber.objects.count()
        == Subscription.objects.count()
        == ConsentRecord.objects.count()
        == 5
    )


def test_command(newsletters, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_text("email,name\nada@example.org,Ada\nbroken\n")
    call_command("import_subscribers", "briefing", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: nothing was written." in out
    assert "Rows read: 2\nImported: 1\nMerged with existing subscribers: 0\nSkipped: 1\n" in out
    assert "1 fields where the first row has 2: rows 3" in out
    assert not Subscriber.objects.exists()

    call_command(
        "import_subscribers",
        "briefing",
        str(path),
        "--confirmed",
        "--consent-source",
        "Old site form",
    )
    assert Subscription.objects.get().status == Status.CONFIRMED
    assert ConsentRecord.objects.get().wording == "Old site form"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["briefing", "{path}", "--confirmed"], "--confirmed needs --consent-source"),
        (["nope", "{path}"], "No newsletter with the slug “nope” .*briefing"),
        (["briefing", "{missing}"], "Cannot read .*missing.csv"),
        (["briefing", "{nocolumn}"], "nocolumn.csv: No email column found.*Nothing was imported"),
    ],
)
def test_command_errors(newsletters, tmp_path, arguments, message):
    paths = {
        "path": tmp_path / "list.csv",
        "missing": tmp_path / "missing.csv",
        "nocolumn": tmp_path / "nocolumn.csv",
    }
    paths["path"].write_text("email\nada@example.org\n")
    paths["nocolumn"].write_text("id,name\n1,Ada\n")
    with pytest.raises(CommandError, match=message):
        call_command("import_subscribers", *(a.format(**paths) for a in arguments))
    assert not Subscriber.objects.exists()


def test_the_preview_names_each_formats_columns_and_writes_nothing(newsletters):
    def mapping(text):
        found = imports.preview(io.BytesIO(text.encode()))
        return found.format.name, found.mapping

    assert mapping(MAILCHIMP_CLEANED + "\n") == (
        "Mailchimp",
        {
            "Email": "Email Address",
            "Name": "First Name + Last Name",
            "Signed up": "OPTIN_TIME, CONFIRM_TIME",
            "Status": "CLEAN_TIME: an export of cleaned (bounced) addresses, all arrive unsubscribed and suppressed",
        },
    )
    assert mapping(SUBSTACK + "\n")[1]["Status"] == "email_disabled"
    assert mapping("Name,E-mail\n") == (
        "CSV",
        {
            "Email": "E-mail",
            "Name": "Name",
            "Signed up": "not in the file",
            "Status": "none: every row is a subscriber",
        },
    )
    first = imports.preview(
        io.BytesIO(b"email\n" + b"".join(b"r%d@example.org\n" % n for n in range(9))), rows=3
    )
    assert first.rows == [["r0@example.org"], ["r1@example.org"], ["r2@example.org"]]
    assert not Subscriber.objects.exists()


def test_progress_is_reported_after_each_batch(newsletters):
    shares = []
    text = "email\n" + "".join(f"reader{n}@example.org\n" for n in range(5))
    run(
        newsletters["briefing"],
        text,
        batch_size=2,
        progress=lambda report, share: shares.append((report.imported, share)),
    )
    assert [imported for imported, _ in shares] == [2, 4, 5]
    assert shares[-1][1] == 1.0 and all(0 < share <= 1 for _, share in shares)
