"""The newsletters app's models, one module per room; all of them are importable from here."""

from newsdesk.newsletters.models.imports import SubscriberImport, _import_file_name
from newsdesk.newsletters.models.issues import Delivery, DeliveryBatch, Issue, IssueStory
from newsdesk.newsletters.models.newsletters import Newsletter, single_line
from newsdesk.newsletters.models.subscribers import (
    ConsentRecord,
    Subscriber,
    Subscription,
    Suppression,
)

__all__ = [
    "ConsentRecord",
    "Delivery",
    "DeliveryBatch",
    "Issue",
    "IssueStory",
    "Newsletter",
    "Subscriber",
    "SubscriberImport",
    "Subscription",
    "Suppression",
    # Migration 0003 names the upload_to function by this path.
    "_import_file_name",
    "single_line",
]
