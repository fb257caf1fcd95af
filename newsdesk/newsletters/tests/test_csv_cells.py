"""Exported subscriber lists open safely in a spreadsheet and import back unchanged."""

import csv
import io

import pytest
from django.core.management import call_command

from newsdesk.core import csvcells
from newsdesk.newsletters.models import Subscriber, Subscription

from .test_admin_import import ghost_export, subscribe

pytestmark = pytest.mark.django_db

Status = Subscription.Status
SUBSCRIBERS_URL = "/admin/snippets/newsletters/subscription/"

# Addresses that may lawfully begin with a formula's first character, and names that are attacks.
HOSTILE = [
    ("=cmd@example.org", '=HYPERLINK("http://evil.example","Click")'),
    ("+tag@example.org", "+1+1"),
    ("-dash@example.org", "-2+3"),
    ("'=quoted@example.org", "@SUM(A1:A9)"),
    ("tab@example.org", "\t=1+1"),
    ("cr@example.org", "\r=1+1"),
    ("plain@example.org", "O'Brien"),
]


def spreadsheet_could_run(cell):
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "value",
    ["=1", "+1", "-1", "@a", "\tx", "\rx", "'=1", "''+1", "'plain", "plain", "", "a=b"],
)
def test_a_safe_cell_never_starts_a_formula_and_gives_back_the_original(value):
    assert not spreadsheet_could_run(csvcells.safe(value))
    assert csvcells.original(csvcells.safe(value)) == value


def test_the_ghost_export_is_safe_in_a_spreadsheet_and_reads_back_unchanged(
    editor_client, newsletters, tmp_path
):
    briefing = newsletters["briefing"]
    for email, name in HOSTILE:
        subscribe(briefing, email, Status.CONFIRMED, name)
    exported = ghost_export(editor_client, briefing)
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    assert not any(spreadsheet_could_run(cell) for row in rows for cell in row)

    path = tmp_path / "ghost.csv"
    path.write_bytes(exported.encode())
    call_command(
        "import_subscribers",
        "explainer",
        str(path),
        "--confirmed",
        "--consent-source",
        "Round trip",
        stdout=io.StringIO(),
    )
    imported = Subscriber.objects.filter(subscriptions__newsletter=newsletters["explainer"])
    assert sorted(imported.values_list("email", "name")) == sorted(HOSTILE)


def test_the_admins_subscriber_export_is_safe_in_a_spreadsheet(editor_client, newsletters):
    for email, name in HOSTILE:
        subscribe(newsletters["briefing"], email, Status.CONFIRMED, name)
    response = editor_client.get(SUBSCRIBERS_URL, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert len(rows) == len(HOSTILE) + 1
    assert not any(spreadsheet_could_run(cell) for row in rows for cell in row)
    assert {csvcells.original(row[0]) for row in rows[1:]} == {email for email, _ in HOSTILE}


def test_wagtails_own_reports_export_safe_csv(editor_client, publish_article):
    publish_article('=HYPERLINK("http://evil.example","Read")')
    response = editor_client.get("/admin/reports/site-history/", {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content, newline="")))
    titles = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert titles and all(title.startswith("'=HYPERLINK") for title in titles)
    assert not any(spreadsheet_could_run(cell) for row in rows for cell in row)
