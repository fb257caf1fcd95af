import time
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.crypto import get_random_string

from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Newsletter, Subscription
from newsdesk.newsletters.subscribers.addresses import normalise_address
from newsdesk.newsletters.subscribers.subscriptions import CONSENT_WORDING, newsletter_names

# People take a few seconds to type an address; scripts post at once.
MIN_FILL_SECONDS = 2
# A signed fill time is good for this long after the page was rendered: time
# for a reader who leaves a tab open over lunch, while a token a script took
# from a page serves it a few hours rather than for ever. Kept pages and
# fragments hand out a token rendered up to NEWSDESK_PAGE_CACHE_SECONDS (60) or
# NEWSDESK_FRAGMENT_CACHE_SECONDS (300) earlier: that age is added on top.
READER_FILL_SECONDS = 6 * 60 * 60
_STARTED_SALT = "newsdesk.newsletters.form-started"
EXPIRED_FORM = "This form is out of date. Reload the page and try again."
# What the consent line names before the reader has ticked anything (or without JavaScript,
# which would otherwise name the ticks).
UNTICKED_NAMES = "the newsletters you tick"


def started_token(at: float | None = None) -> str:
    """The signed time a form was shown, for the minimum fill time."""
    return signing.dumps(time.time() if at is None else at, salt=_STARTED_SALT)


def max_fill_age():
    return READER_FILL_SECONDS + settings.PAGE_CACHE_SECONDS + settings.FRAGMENT_CACHE_SECONDS


class ExactFieldsForm(forms.Form):
    """Refuses fields it does not know, so a tampered form fails loudly rather than half-works."""

    allowed_extra = {"csrfmiddlewaretoken"}

    def clean(self):
        unknown = sorted(set(self.data) - set(self.fields) - self.allowed_extra)
        if unknown:
            raise ValidationError(
                "This form sent fields it does not have: %(fields)s.",
                params={"fields": ", ".join(unknown)},
            )
        return super().clean()


class SubscribeForm(ExactFieldsForm):
    email = forms.CharField(strip=False, error_messages={"required": "Enter your email address."})
    newsletter = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True),
        to_field_name="slug",
        error_messages={
            "required": "Choose at least one newsletter.",
            "invalid_choice": "That newsletter is not available.",
            "invalid_pk_value": "That newsletter is not available.",
        },
    )
    source = forms.CharField(required=False, max_length=500)
    started = forms.CharField(error_messages={"required": EXPIRED_FORM})
    # The trap: hidden from people, filled in by bots that fill in everything.
    website = forms.CharField(required=False)

    def clean_email(self):
        return normalise_address(self.cleaned_data["email"])

    def clean_newsletter(self):
        newsletters = self.cleaned_data["newsletter"]
        restricted = audience.audiences()
        for newsletter in newsletters:
            if newsletter.pk in restricted:
                # The same answer for every address: the form tells nobody who is a member.
                raise ValidationError(
                    f"{newsletter.name} is for {restricted[newsletter.pk].who}: "
                    "members choose it on their account page."
                )
        return newsletters

    def clean_source(self):
        source = self.cleaned_data["source"]
        # Only a path on this site is worth keeping as the consent's page.
        return source if source.startswith("/") and not source.startswith("//") else ""

    def clean_started(self):
        try:
            return float(
                signing.loads(
                    self.cleaned_data["started"], salt=_STARTED_SALT, max_age=max_fill_age()
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(EXPIRED_FORM) from None

    @property
    def is_bot(self):
        return (
            bool(self.cleaned_data["website"])
            or time.time() - self.cleaned_data["started"] < MIN_FILL_SECONDS
        )


def _errors_by_place(form):
    """Errors next to the field they concern; the rest (an expired or tampered form) as one general line."""
    shown_by_field = {"email", "newsletter"}
    errors = {
        field: " ".join(messages)
        for field, messages in form.errors.items()
        if field in shown_by_field
    }
    errors["general"] = " ".join(
        " ".join(messages) for field, messages in form.errors.items() if field not in shown_by_field
    )
    return errors


def subscribe_form_context(
    request: HttpRequest,
    newsletters: Sequence[Newsletter],
    form: "SubscribeForm | None" = None,
    message: str = "",
) -> dict:
    """What the subscribe form template needs: fresh, or after a submission (form)."""
    data = form.data if form is not None else {}
    cleaned = getattr(form, "cleaned_data", {})
    chosen = set(data.getlist("newsletter")) if data else set()
    # The consent line names what will be subscribed: the one newsletter, else what is ticked.
    named = newsletters if len(newsletters) == 1 else [n for n in newsletters if n.slug in chosen]
    before_names, after_names = CONSENT_WORDING.split("{names}")
    return {
        "form_id": "subscribe-" + get_random_string(6, "abcdefghijklmnopqrstuvwxyz"),
        "newsletters": newsletters,
        "chosen": chosen,
        "email": data.get("email", ""),
        "errors": _errors_by_place(form) if form is not None else {},
        "message": message,
        "started": started_token(),
        # The page, not its query: kept pages are shared by readers who came with any query.
        "source": cleaned.get("source", "") if form is not None else request.path,
        "consent": {
            "before_names": before_names,
            "names": newsletter_names(named) if named else UNTICKED_NAMES,
            "unticked": UNTICKED_NAMES,
            "after_names": after_names,
        },
    }


class PreferencesForm(ExactFieldsForm):
    allowed_extra = {"csrfmiddlewaretoken", "save"}

    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Newsletters you receive",
        error_messages={"invalid_choice": "That newsletter is not available."},
    )

    def __init__(self, subscriber, shown, *args, **kwargs):
        # A subscriber not saved yet (a member's account, before any choice) gets nothing.
        confirmed = (
            subscriber.subscriptions.filter(status=Subscription.Status.CONFIRMED).values_list(
                "newsletter", flat=True
            )
            if subscriber.pk
            else []
        )
        super().__init__(*args, initial={"newsletters": list(confirmed)}, **kwargs)
        self.fields["newsletters"].queryset = shown
