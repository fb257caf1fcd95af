"""The INSERTs written by hand (a send's audience, an import's rows) fill every column of their table."""

import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.newsletters.imports.importer import import_subscribers
from newsdesk.newsletters.models import ConsentRecord, Delivery, Subscriber, Subscription
from newsdesk.newsletters.sending import sends
from newsdesk.newsletters.tests.test_import import GHOST

pytestmark = pytest.mark.django_db

INSERT = re.compile(r'INSERT INTO "?(\w+)"? \(([^)]*)\)', re.IGNORECASE)


def missing_columns(sql):
    """Table → the columns of its model that an INSERT in sql leaves out."""
    tables = {
        model._meta.db_table: model for model in apps.get_app_config("newsletters").get_models()
    }
    missing = {}
    for table, names in INSERT.findall(sql):
        if table in tables:
            model = tables[table]
            filled = {name.strip().strip('"') for name in names.split(",")}
            expected = {f.column for f in model._meta.concrete_fields if f is not model._meta.pk}
            missing[table] = expected - filled
    return missing


def test_the_check_sees_a_column_left_out():
    table = Delivery._meta.db_table
    sql = f'INSERT INTO "{table}" ("issue_id", "subscriber_id", "email") SELECT 1, 2, 3'
    assert missing_columns(sql)[table] == {
        "status",
        "attempts",
        "in_doubt",
        "smtp_response",
        "withheld_because",
        "message_id",
        "sent_at",
    }


def test_a_send_and_an_import_fill_every_column(newsletters, audience, issue):
    audience()
    ghost = "\n".join(
        [
            GHOST,
            "1,new@example.org,New Reader,,true,false,,2024-01-02T03:04:05.000Z,,,",
            "2,gone@example.org,Gone Reader,,false,false,,2024-01-02T03:04:05.000Z,,,",
            "3,reader0@example.org,Known Reader,,true,false,,2024-01-02T03:04:05.000Z,,,",
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        import_subscribers(
            newsletters["briefing"], io.BytesIO(ghost.encode()), "ghost.csv", consent_source="Ghost"
        )
        sends.start(issue)
    missing, written = set(), set()
    for query in queries.captured_queries:
        for table, columns in missing_columns(query["sql"]).items():
            written.add(table)
            missing |= {f"{table}.{column}" for column in columns}
    assert missing == set()
    assert {
        model._meta.db_table for model in [Subscriber, Subscription, ConsentRecord, Delivery]
    } <= written
