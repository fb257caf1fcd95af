"""A stateful local Stripe for the tests: localstripe's store and aiohttp app, with what it lacks.

localstripe 1.15 keeps customers, products and payment methods, signs webhooks,
and speaks Stripe's form encoding; it has no prices, no Checkout, no customer
portal, and its subscriptions know nothing of renewals. This module serves
localstripe's routes on a free loopback port, in a thread of the test process,
behind routes of its own, all keeping their objects in localstripe's store:

- ``/v1/prices`` (recurring and one-time; created, retrieved, listed by
  ``product`` and ``active``, updated), ``/v1/products`` (localstripe's).
- ``/v1/checkout/sessions``: create (mode ``subscription`` or ``payment``,
  ``customer`` or ``customer_email``, ``line_items`` with ``price`` or inline
  ``price_data``, ``metadata``, ``subscription_data[metadata]``,
  ``payment_intent_data[metadata]``, ``client_reference_id``, success and
  cancel URLs; ``{CHECKOUT_SESSION_ID}`` in the success URL is filled in),
  retrieve, list. Its ``url`` is a hosted page served here with a **Pay**
  button (card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined)
  and a link back to the cancel URL. Paying completes it as Stripe does: the
  customer is made if there was none, then a subscription whose first invoice
  is paid (mode subscription) or a succeeded payment intent (mode payment),
  the signed events are sent, and the browser goes to the success URL.
- ``/v1/subscriptions`` (retrieve, list by ``customer`` and ``status``,
  update ``cancel_at_period_end``, ``metadata`` or the price of
  ``items[0]``, cancel with DELETE), ``/v1/invoices`` (retrieve, list by
  ``customer``, ``subscription``, ``status``), ``/v1/payment_intents``
  (retrieve), ``/v1/billing_portal/sessions`` (create: a hosted page that
  cancels at the period end and goes back to ``return_url``).

Events are kept in order in an outbox, each with the object as it was when it
happened. With a webhook URL registered (``StripeAPI.register_webhook``, as a
test with a live server does), each action sends its events to it at once,
one after another, signed with Stripe's scheme (``Stripe-Signature:
t=...,v1=HMAC-SHA256(secret, "t.payload")``), before it answers: when the
browser lands on the success URL, the webhooks were handled. Without one they
wait until ``StripeAPI.deliver(client)`` posts them through Django's test
client, in their order or one the test chooses, as often as it likes.

What a handler can rely on (as in Stripe's API of 2025 and after):

- ``checkout.session.completed``: ``mode``, ``customer``, ``customer_details.email``,
  ``metadata``, ``client_reference_id``, ``subscription`` (mode subscription),
  ``payment_intent`` (mode payment), ``amount_total``, ``currency`` (lower case).
- A subscription: ``status`` (active, past_due, canceled), ``metadata`` (from
  ``subscription_data[metadata]``), ``cancel_at_period_end``, ``ended_at``,
  ``items.data[0].price`` (``id``, ``product``, ``unit_amount``, ``currency``,
  ``recurring.interval``), ``items.data[0].current_period_start`` and ``_end``
  (also on the subscription itself, as older versions had them).
- An invoice of a subscription names it and its metadata in
  ``parent.subscription_details.subscription`` and ``.metadata``;
  ``billing_reason`` is ``subscription_create`` or ``subscription_cycle``;
  ``status`` (paid, open), ``amount_paid``, ``amount_due``, ``currency``,
  ``customer``, ``customer_email``, ``period_start``/``period_end`` and
  ``lines.data[0].period`` (the period it pays for), ``status_transitions.paid_at``.
- ``payment_intent.succeeded``: ``amount``, ``currency``, ``customer``,
  ``metadata`` (from ``payment_intent_data[metadata]``), ``receipt_email``.

Test-only routes (``StripeAPI`` wraps them): cancel a subscription now or at
its period end, renew it (advance a period, paid or failed: a failed renewal
leaves it past_due with an open invoice and ``invoice.payment_failed``;
renewing one that cancels at its period end ends it), list the events, and
deliver chosen events again.
"""

import asyncio
import hashlib
import hmac
import html
import json
import threading
import time
import urllib.parse
import urllib.request
import warnings
from datetime import UTC, datetime

from aiohttp import ClientSession, web
from dateutil.relativedelta import relativedelta
from localstripe import resources
from localstripe.errors import UserError
from localstripe.resources import (
    Customer,
    Event,
    Product,
    StripeObject,
    store,
    try_convert_to_bool,
    try_convert_to_int,
)

PAYING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INTERVALS = ("day", "week", "month", "year")

with warnings.catch_warnings():
    # localstripe's app registers plain functions as handlers, which aiohttp deprecates.
    warnings.simplefilter("ignore", DeprecationWarning)
    from localstripe import server

# The store is pickled to /tmp at every change, for localstripe's restarts: not here.
store.dump_to_disk = lambda: None


def signature(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Stripe's Stripe-Signature header for a payload."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


class Outbox:
    """Every event, in order, as its object was then; and where webhooks go."""

    def __init__(self):
        self.events: list[dict] = []  # {"id", "type", "payload", "deliveries"}
        self.url = None
        self.secret = None
        self.enabled = None

    def reset(self):
        self.__init__()

    def record(self, event):
        self.events.append(
            {
                "id": event.id,
                "type": event.type,
                "payload": json.dumps(event._export(), sort_keys=True),
                "deliveries": [],
            }
        )

    def wanted(self, entry):
        return self.enabled is None or entry["type"] in self.enabled

    def pending(self):
        return [e for e in self.events if not e["deliveries"] and self.wanted(e)]

    async def send(self, entries):
        async with ClientSession() as session:
            for entry in entries:
                headers = {
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": signature(entry["payload"], self.secret),
                }
                async with session.post(self.url, data=entry["payload"], headers=headers) as r:
                    entry["deliveries"].append(r.status)

    async def flush(self):
        """Sends what waits, when a webhook URL is registered."""
        if self.url:
            await self.send(self.pending())


outbox = Outbox()
# localstripe's own objects (customers, products) report through the same outbox.
resources.schedule_webhook = outbox.record


def emit(event_type, obj, previous=None):
    event = Event(event_type, obj)
    if previous:
        event.data["previous_attributes"] = previous
    outbox.record(event)
    return event


def _int(value, name, minimum=0):
    value = try_convert_to_int(value)
    if type(value) is not int or value < minimum:
        raise UserError(400, f"Invalid {name}")
    return value


def _period_after(start, interval, count=1):
    step = {
        "day": relativedelta(days=count),
        "week": relativedelta(weeks=count),
        "month": relativedelta(months=count),
        "year": relativedelta(years=count),
    }[interval]
    return int((datetime.fromtimestamp(start, tz=UTC) + step).timestamp())


class Price(StripeObject):
    object = "price"
    _id_prefix = "price_"

    def __init__(
        self,
        currency=None,
        unit_amount=None,
        product=None,
        product_data=None,
        recurring=None,
        metadata=None,
        nickname=None,
        lookup_key=None,
        active=True,
        **kwargs,
    ):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        unit_amount = _int(unit_amount, "unit_amount")
        if type(currency) is not str or len(currency) != 3:
            raise UserError(400, "Invalid currency")
        if recurring is not None:
            if type(recurring) is not dict or recurring.get("interval") not in INTERVALS:
                raise UserError(400, "Invalid recurring[interval]")
            recurring = {
                "interval": recurring["interval"],
                "interval_count": _int(recurring.get("interval_count", 1), "interval_count", 1),
            }
        if product_data is not None:
            if type(product_data) is not dict or not product_data.get("name"):
                raise UserError(400, "Missing product_data[name]")
            product = Product(name=product_data["name"], metadata=product_data.get("metadata")).id
        elif type(product) is str:
            Product._api_retrieve(product)
        else:
            raise UserError(400, "Missing required param: product")
        super().__init__()
        self.currency = currency.lower()
        self.unit_amount = unit_amount
        self.product = product
        self.recurring = recurring
        self.type = "recurring" if recurring else "one_time"
        self.metadata = metadata or {}
        self.nickname = nickname
        self.lookup_key = lookup_key
        self.active = try_convert_to_bool(active)

    def _update(self, active=None, metadata=None, nickname=None, lookup_key=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        if active is not None:
            self.active = try_convert_to_bool(active)
        if metadata:
            self.metadata.update(metadata)
        if nickname is not None:
            self.nickname = nickname
        if lookup_key is not None:
            self.lookup_key = lookup_key

    @classmethod
    def _api_list_all(cls, url, product=None, active=None, type=None, **kwargs):
        li = super()._api_list_all(url, **kwargs)
        active = try_convert_to_bool(active)
        li._list = [
            p
            for p in li._list
            if (product is None or p.product == product)
            and (active is None or p.active == active)
            and (type is None or p.type == type)
        ]
        return li


class PaymentIntent(StripeObject):
    object = "payment_intent"
    _id_prefix = "pi_"

    def __init__(self, amount, currency, customer, metadata, receipt_email):
        super().__init__()
        self.amount = amount
        self.amount_received = amount
        self.currency = currency
        self.customer = customer
        self.metadata = metadata or {}
        self.receipt_email = receipt_email
        self.status = "succeeded"


class Invoice(StripeObject):
    object = "invoice"
    _id_prefix = "in_"

    def __init__(self, subscription, period, billing_reason):
        super().__init__()
        price = Price._api_retrieve(subscription._price)
        customer = Customer._api_retrieve(subscription.customer)
        self.customer = subscription.customer
        self.customer_email = customer.email
        self.subscription = subscription.id  # as older API versions had it
        self.parent = {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": subscription.id,
                "metadata": dict(subscription.metadata),
            },
        }
        self.billing_reason = billing_reason
        self.currency = price.currency
        self.amount_due = price.unit_amount * subscription._quantity
        self.amount_paid = 0
        self.amount_remaining = self.amount_due
        self.total = self.amount_due
        self.attempt_count = 0
        self.period_start, self.period_end = period
        self.lines = {
            "object": "list",
            "data": [
                {
                    "object": "line_item",
                    "amount": self.amount_due,
                    "currency": price.currency,
                    "quantity": subscription._quantity,
                    "price": price._export(),
                    "pricing": {"price_details": {"price": price.id, "product": price.product}},
                    "period": {"start": period[0], "end": period[1]},
                }
            ],
            "has_more": False,
        }
        self.status = "open"
        self.status_transitions = {"finalized_at": self.created, "paid_at": None}
        self.hosted_invoice_url = None

    def _pay(self):
        self.attempt_count += 1
        self.status = "paid"
        self.amount_paid = self.amount_due
        self.amount_remaining = 0
        self.status_transitions["paid_at"] = int(time.time())
        emit("invoice.paid", self)
        emit("invoice.payment_succeeded", self)

    def _fail(self):
        self.attempt_count += 1
        emit("invoice.payment_failed", self)

    @classmethod
    def _api_list_all(cls, url, customer=None, subscription=None, status=None, **kwargs):
        li = super()._api_list_all(url, **kwargs)
        li._list = [
            i
            for i in li._list
            if (customer is None or i.customer == customer)
            and (subscription is None or i.subscription == subscription)
            and (status is None or i.status == status)
        ]
        return li


class Subscription(StripeObject):
    object = "subscription"
    _id_prefix = "sub_"

    def __init__(self, customer, price, quantity, metadata):
        super().__init__()
        self.customer = customer
        self.metadata = metadata or {}
        self.status = "active"
        self.cancel_at_period_end = False
        self.cancel_at = None
        self.canceled_at = None
        self.ended_at = None
        self.start_date = self.created
        self.latest_invoice = None
        self.currency = price.currency
        self._price = price.id
        self._quantity = quantity
        self._period = (self.created, _period_after(self.created, price.recurring["interval"]))

    @property
    def current_period_start(self):
        return self._period[0]

    @property
    def current_period_end(self):
        return self._period[1]

    @property
    def items(self):
        return {
            "object": "list",
            "data": [
                {
                    "object": "subscription_item",
                    "id": "si_" + self.id[4:],
                    "price": Price._api_retrieve(self._price)._export(),
                    "quantity": self._quantity,
                    "current_period_start": self._period[0],
                    "current_period_end": self._period[1],
                }
            ],
            "has_more": False,
        }

    def _invoice(self, period, billing_reason):
        invoice = Invoice(self, period, billing_reason)
        self.latest_invoice = invoice.id
        return invoice

    def _renew(self, fail=False):
        if self.status == "canceled":
            raise UserError(400, "This subscription is canceled")
        if self.cancel_at_period_end:
            return self._end()
        interval = Price._api_retrieve(self._price).recurring["interval"]
        period = (self._period[1], _period_after(self._period[1], interval))
        previous = {
            "current_period_start": self._period[0],
            "current_period_end": self._period[1],
            "status": self.status,
        }
        invoice = self._invoice(period, "subscription_cycle")
        self._period = period
        if fail:
            invoice._fail()
            self.status = "past_due"
        else:
            invoice._pay()
            self.status = "active"
        emit("customer.subscription.updated", self, previous)
        return invoice

    def _end(self):
        self.status = "canceled"
        self.ended_at = self.canceled_at = int(time.time())
        emit("customer.subscription.deleted", self)

    def _update(self, cancel_at_period_end=None, metadata=None, items=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        if self.status == "canceled":
            raise UserError(400, "A canceled subscription can only update its metadata")
        previous = {}
        if cancel_at_period_end is not None:
            previous["cancel_at_period_end"] = self.cancel_at_period_end
            self.cancel_at_period_end = try_convert_to_bool(cancel_at_period_end)
            self.cancel_at = self._period[1] if self.cancel_at_period_end else None
        if metadata:
            previous["metadata"] = dict(self.metadata)
            self.metadata.update(metadata)
        if items:
            price = Price._api_retrieve(items[0]["price"])
            if price.type != "recurring":
                raise UserError(400, "A subscription needs a recurring price")
            previous["items"] = self.items
            self._price = price.id
        emit("customer.subscription.updated", self, previous)

    @classmethod
    def _api_delete(cls, id):
        obj = cls._api_retrieve(id)
        if obj.status == "canceled":
            raise UserError(400, "This subscription is already canceled")
        obj._end()
        return obj

    @classmethod
    def _api_list_all(cls, url, customer=None, status=None, price=None, **kwargs):
        li = super()._api_list_all(url, **kwargs)
        li._list = [
            s
            for s in li._list
            if (customer is None or s.customer == customer)
            and (
                (status is None and s.status != "canceled") or status == "all" or s.status == status
            )
            and (price is None or s._price == price)
        ]
        return li


class CheckoutSession(StripeObject):
    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(
        self,
        mode=None,
        line_items=None,
        success_url=None,
        cancel_url=None,
        customer=None,
        customer_email=None,
        metadata=None,
        client_reference_id=None,
        subscription_data=None,
        payment_intent_data=None,
        _origin="",
        **kwargs,
    ):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        if mode not in ("subscription", "payment"):
            raise UserError(400, "mode must be subscription or payment")
        if not success_url or not cancel_url:
            raise UserError(400, "success_url and cancel_url are required")
        if customer and customer_email:
            raise UserError(400, "Give customer or customer_email, not both")
        if customer:
            Customer._api_retrieve(customer)
        if type(line_items) is not list or not line_items:
            raise UserError(400, "line_items are required")
        items = []
        for item in line_items:
            if item.get("price"):
                price = Price._api_retrieve(item["price"])
            elif type(item.get("price_data")) is dict:
                price = Price(**item["price_data"])
            else:
                raise UserError(400, "Each line item needs price or price_data")
            if (price.type == "recurring") != (mode == "subscription"):
                raise UserError(400, f"A {price.type} price cannot be used in {mode} mode")
            items.append((price.id, _int(item.get("quantity", 1), "quantity", 1)))
        if mode == "subscription" and len(items) != 1:
            raise UserError(400, "One line item a subscription, here")
        super().__init__()
        self.mode = mode
        self.status = "open"
        self.payment_status = "unpaid"
        self.customer = customer
        self.customer_email = customer_email
        self.customer_details = None
        self.metadata = metadata or {}
        self.client_reference_id = client_reference_id
        self.success_url = success_url.replace("{CHECKOUT_SESSION_ID}", self.id)
        self.cancel_url = cancel_url
        self.url = f"{_origin}/checkout/{self.id}"
        self.subscription = None
        self.payment_intent = None
        self.invoice = None
        prices = [(Price._api_retrieve(p), q) for p, q in items]
        self.currency = prices[0][0].currency
        self.amount_total = self.amount_subtotal = sum(p.unit_amount * q for p, q in prices)
        self.expires_at = self.created + 24 * 3600
        self._items = items
        self._subscription_metadata = (subscription_data or {}).get("metadata") or {}
        self._payment_intent_metadata = (payment_intent_data or {}).get("metadata") or {}

    @property
    def _email(self):
        if self.customer:
            return Customer._api_retrieve(self.customer).email
        return self.customer_email

    def _complete(self, email, card):
        if self.status != "open":
            raise UserError(400, "This Checkout session is not open")
        if card == DECLINED_CARD:
            raise UserError(402, "Your card was declined.", {"code": "card_declined"})
        if card != PAYING_CARD:
            raise UserError(402, "Use the test card 4242 4242 4242 4242.")
        email = self._email or email
        if not email:
            raise UserError(400, "Enter your email address.")
        if not self.customer:
            self.customer = Customer(email=email).id
        if self.mode == "subscription":
            price_id, quantity = self._items[0]
            subscription = Subscription(
                self.customer, Price._api_retrieve(price_id), quantity, self._subscription_metadata
            )
            emit("customer.subscription.created", subscription)
            invoice = subscription._invoice(subscription._period, "subscription_create")
            invoice._pay()
            self.subscription, self.invoice = subscription.id, invoice.id
        else:
            intent = PaymentIntent(
                self.amount_total,
                self.currency,
                self.customer,
                self._payment_intent_metadata,
                email,
            )
            emit("payment_intent.succeeded", intent)
            self.payment_intent = intent.id
        self.status = "complete"
        self.payment_status = "paid"
        self.customer_details = {"email": email}
        emit("checkout.session.completed", self)

    @classmethod
    def _api_list_all(cls, url, customer=None, subscription=None, payment_intent=None, **kw):
        li = super()._api_list_all(url, **kw)
        li._list = [
            s
            for s in li._list
            if (customer is None or s.customer == customer)
            and (subscription is None or s.subscription == subscription)
            and (payment_intent is None or s.payment_intent == payment_intent)
        ]
        return li


class PortalSession(StripeObject):
    object = "billing_portal.session"
    _id_prefix = "bps_"

    def __init__(self, customer=None, return_url=None, _origin="", **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        Customer._api_retrieve(customer or "")
        if not return_url:
            raise UserError(400, "return_url is required")
        super().__init__()
        self.customer = customer
        self.return_url = return_url
        self.url = f"{_origin}/portal/{self.id}"


# The routes, around localstripe's.


def _json(obj, expand=None):
    return server.json_response(obj._export(expand=expand))


async def _data(request):
    data = await server.get_post_data(request) or {}
    data.update(server.unflatten_data(request.query) or {})
    return data


def _routes(cls, path, update=True, delete=False, create=True, **extra):
    async def create_(request):
        data = await _data(request)
        expand = data.pop("expand", None)
        obj = cls(**data, **{k: v(request) for k, v in extra.items()})
        result = _json(obj, expand)
        await outbox.flush()
        return result

    async def retrieve(request):
        data = server.unflatten_data(request.query)
        return _json(cls._api_retrieve(request.match_info["id"]), data.pop("expand", None))

    async def update_(request):
        data = await _data(request)
        expand = data.pop("expand", None)
        obj = cls._api_retrieve(request.match_info["id"])
        obj._update(**data)
        result = _json(obj, expand)
        await outbox.flush()
        return result

    async def delete_(request):
        obj = cls._api_delete(request.match_info["id"])
        result = _json(obj)
        await outbox.flush()
        return result

    async def list_all(request):
        data = server.unflatten_data(request.query)
        expand = data.pop("expand", None)
        return _json(cls._api_list_all(path, **data), expand)

    routes = [("GET", path, list_all), ("GET", path + "/{id}", retrieve)]
    if create:
        routes.append(("POST", path, create_))
    if update:
        routes.append(("POST", path + "/{id}", update_))
    if delete:
        routes.append(("DELETE", path + "/{id}", delete_))
    return routes


def _origin(request):
    return f"{request.scheme}://{request.host}"


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
label,input,button{{display:block;width:100%;box-sizing:border-box}}input{{padding:.5rem;margin:.25rem 0 1rem}}
button{{padding:.75rem;background:#635bff;color:#fff;border:0;font-size:1rem}}
.error{{color:#b00020}}</style></head><body><main>{body}</main></body></html>"""


def _page(title, body, status=200):
    return web.Response(
        text=PAGE.format(title=html.escape(title), body=body),
        content_type="text/html",
        status=status,
    )


def _checkout_page(session, error=""):
    prices = [(Price._api_retrieve(p), q) for p, q in session._items]
    lines = "".join(
        f"<li>{html.escape(Product._api_retrieve(p.product).name)} × {q}: "
        f"{p.unit_amount * q} {p.currency.upper()}"
        + (f" a {p.recurring['interval']}" if p.recurring else "")
        + "</li>"
        for p, q in prices
    )
    email = session._email
    email_field = (
        f"<p>Paying as {html.escape(email)}</p>"
        if email
        else '<label for="email">Email</label><input id="email" name="email" type="email" required>'
    )
    body = (
        f"<h1>Checkout (test stand-in)</h1><ul>{lines}</ul>"
        + (f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "")
        + f'<form method="post">{email_field}<label for="card">Card number</label>'
        f'<input id="card" name="card" value="4242 4242 4242 4242" autocomplete="off">'
        f'<button type="submit">Pay</button></form>'
        f'<p><a href="{html.escape(session.cancel_url)}">Back</a></p>'
    )
    return _page("Checkout", body, 402 if error else 200)


async def checkout_page(request):
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    if request.method == "GET":
        if session.status != "open":
            return _page("Checkout", "<p>This Checkout session is complete.</p>", 410)
        return _checkout_page(session)
    form = await request.post()
    card = form.get("card", "").replace(" ", "")
    try:
        session._complete(form.get("email", "").strip(), card)
    except UserError as error:
        return _checkout_page(session, error.body["error"].get("message", "Refused"))
    await outbox.flush()
    raise web.HTTPSeeOther(session.success_url)


async def portal_page(request):
    portal = PortalSession._api_retrieve(request.match_info["id"])
    subscriptions = Subscription._api_list_all(None, customer=portal.customer)._list
    if request.method == "POST":
        form = await request.post()
        for subscription in subscriptions:
            if subscription.id == form.get("cancel"):
                subscription._update(cancel_at_period_end=True)
        await outbox.flush()
        raise web.HTTPSeeOther(portal.return_url)
    rows = "".join(
        f"<li>{html.escape(Product._api_retrieve(Price._api_retrieve(s._price).product).name)}"
        + (
            " (cancels at the period end)"
            if s.cancel_at_period_end
            else f'<form method="post"><button name="cancel" value="{s.id}">Cancel plan</button></form>'
        )
        + "</li>"
        for s in subscriptions
    )
    body = (
        f"<h1>Billing (test stand-in)</h1><ul>{rows}</ul>"
        f'<p><a href="{html.escape(portal.return_url)}">Return</a></p>'
    )
    return _page("Billing", body)


# Test-only routes.


async def reset(request):
    store.clear()
    outbox.reset()
    return web.json_response({})


async def configure_webhook(request):
    data = await _data(request)
    outbox.url = data.get("url") or None
    outbox.secret = data.get("secret")
    outbox.enabled = data.get("events") or None
    return web.json_response({})


async def list_events(request):
    if request.query.get("count"):
        return web.json_response(len(outbox.events))
    return web.json_response(outbox.events)


async def deliver_events(request):
    data = await _data(request)
    wanted = {e["id"]: e for e in outbox.events}
    entries = [wanted[i] for i in data.get("ids") or [] if i in wanted]
    await outbox.send(entries)
    return web.json_response([e["deliveries"][-1] for e in entries])


async def mark_delivered(request):
    data = await _data(request)
    for entry in outbox.events:
        if entry["id"] in (data.get("ids") or []):
            entry["deliveries"].append(int(data.get("status", 200)))
    return web.json_response({})


async def cancel_subscription(request):
    data = await _data(request)
    subscription = Subscription._api_retrieve(request.match_info["id"])
    if try_convert_to_bool(data.get("at_period_end", False)):
        subscription._update(cancel_at_period_end=True)
    else:
        Subscription._api_delete(subscription.id)
    await outbox.flush()
    return _json(subscription)


async def renew_subscription(request):
    data = await _data(request)
    subscription = Subscription._api_retrieve(request.match_info["id"])
    subscription._renew(fail=try_convert_to_bool(data.get("fail", False)))
    await outbox.flush()
    return _json(subscription)


async def pay_invoice(request):
    invoice = Invoice._api_retrieve(request.match_info["id"])
    if invoice.status != "open":
        raise UserError(400, "Invoice is already paid")
    invoice._pay()
    subscription = Subscription._api_retrieve(invoice.subscription)
    if subscription.status == "past_due":
        subscription.status = "active"
        emit("customer.subscription.updated", subscription, {"status": "past_due"})
    await outbox.flush()
    return _json(invoice)


@web.middleware
async def auth_middleware(request, handler):
    if request.path.startswith("/v1/") and server.get_api_key(request) is None:
        raise UserError(401, "Unauthorized")
    return await handler(request)


def make_app() -> web.Application:
    app = web.Application(middlewares=[server.error_middleware, auth_middleware])
    origin = {"_origin": _origin}
    routes = (
        _routes(Price, "/v1/prices")
        + _routes(CheckoutSession, "/v1/checkout/sessions", update=False, **origin)
        + _routes(PortalSession, "/v1/billing_portal/sessions", update=False, **origin)
        + _routes(Subscription, "/v1/subscriptions", delete=True, create=False)
        + _routes(Invoice, "/v1/invoices", update=False, create=False)
        + _routes(PaymentIntent, "/v1/payment_intents", update=False, create=False)
        + [
            ("POST", "/v1/invoices/{id}/pay", pay_invoice),
            ("GET", "/checkout/{id}", checkout_page),
            ("POST", "/checkout/{id}", checkout_page),
            ("GET", "/portal/{id}", portal_page),
            ("POST", "/portal/{id}", portal_page),
            ("POST", "/_standin/reset", reset),
            ("POST", "/_standin/webhook", configure_webhook),
            ("GET", "/_standin/events", list_events),
            ("POST", "/_standin/events/deliver", deliver_events),
            ("POST", "/_standin/events/delivered", mark_delivered),
            ("POST", "/_standin/subscriptions/{id}/cancel", cancel_subscription),
            ("POST", "/_standin/subscriptions/{id}/renew", renew_subscription),
        ]
    )
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    # localstripe's own (customers, products, payment methods...), after ours.
    for route in server.app.router.routes():
        info = route.resource.get_info()
        path = info.get("path") or info.get("formatter")
        if path.startswith(("/v1/subscriptions", "/v1/invoices", "/v1/payment_intents")):
            continue
        app.router.add_route(route.method, path, _asynchronous(route.handler))
    return app


def _asynchronous(handler):
    """localstripe's plain-function handlers, as aiohttp wants them now."""
    if asyncio.iscoroutinefunction(handler):
        return handler

    async def run(request):
        return handler(request)

    return run


class Server:
    """The stand-in on a free loopback port, served by an event loop in a thread of its own.

    Set up through that loop too: the calling thread may be running a loop of its own
    (Playwright's, once a browser test has run), and one thread runs one loop at a time.
    """

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runner = web.AppRunner(make_app(), access_log=None)
        self._in_loop(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self._in_loop(site.start())
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def _in_loop(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def stop(self):
        self._in_loop(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


WEBHOOK_PATH = "/members/stripe/webhook/"


class StripeAPI:
    """What a test holds of the stand-in: its address and keys, and the test-only steps."""

    secret_key = "sk_test_standin"
    publishable_key = "pk_test_standin"
    webhook_secret = "whsec_standin"

    def __init__(self, url):
        self.url = url

    def _call(self, method, path, data=None):
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data else None
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {self.secret_key}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def reset(self):
        self._call("POST", "/_standin/reset")

    def register_webhook(self, site_url, events=None):
        """Events are sent to site_url's webhook as they happen (a live server's)."""
        data = {"url": site_url.rstrip("/") + WEBHOOK_PATH, "secret": self.webhook_secret}
        if events:
            data["events[]"] = list(events)
        self._call("POST", "/_standin/webhook", data)

    def pay(self, session_url, email="", card=PAYING_CARD):
        """Presses Pay on a Checkout page, as a reader would; the URL it sends the browser to."""
        body = urllib.parse.urlencode({"email": email, "card": card}).encode()

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(Stay)
        try:
            opener.open(urllib.request.Request(session_url, data=body), timeout=30)
        except urllib.error.HTTPError as answer:
            if answer.code == 303:
                return answer.headers["Location"]
            raise AssertionError(
                f"Checkout answered {answer.code}: {answer.read().decode()}"
            ) from None
        raise AssertionError("Checkout did not redirect")

    def events(self, *types):
        """Every event so far, in order; or those of the types named."""
        return [e for e in self._call("GET", "/_standin/events") if not types or e["type"] in types]

    def count(self):
        """How many events there are so far."""
        return self._call("GET", "/_standin/events?count=1")

    def event(self, event_type, index=-1):
        return self.events(event_type)[index]

    def deliver(self, client, events=None):
        """Posts events through Django's test client with their real signature: those waiting
        (in order), or the ones given (any order, again if they were delivered before)."""
        if events is None:
            events = [e for e in self.events() if not e["deliveries"]]
        responses = []
        for entry in events:
            responses.append(
                client.post(
                    WEBHOOK_PATH,
                    entry["payload"],
                    content_type="application/json",
                    HTTP_STRIPE_SIGNATURE=signature(entry["payload"], self.webhook_secret),
                )
            )
        if events:
            self._call("POST", "/_standin/events/delivered", {"ids[]": [e["id"] for e in events]})
        return responses

    def send(self, events):
        """Sends events to the registered webhook URL again (or in another order); its answers."""
        return self._call("POST", "/_standin/events/deliver", {"ids[]": [e["id"] for e in events]})

    def cancel(self, subscription_id, at_period_end=False):
        return self._call(
            "POST",
            f"/_standin/subscriptions/{subscription_id}/cancel",
            {"at_period_end": "true" if at_period_end else "false"},
        )

    def renew(self, subscription_id, fail=False):
        """Advances the subscription a period: the next invoice paid, or failed."""
        return self._call(
            "POST",
            f"/_standin/subscriptions/{subscription_id}/renew",
            {"fail": "true" if fail else "false"},
        )
