from django import forms

from newsdesk.members.models import Tier
from newsdesk.newsletters.subscribers.addresses import normalise_address
from newsdesk.newsletters.subscribers.forms import ExactFieldsForm


class SignInForm(ExactFieldsForm):
    email = forms.CharField(
        label="Your email address",
        strip=False,
        error_messages={"required": "Enter your email address."},
    )
    next = forms.CharField(required=False, max_length=500)

    def clean_email(self):
        return normalise_address(self.cleaned_data["email"])


class CheckoutForm(ExactFieldsForm):
    """A paid tier and how often to pay, from the membership page."""

    tier = forms.ModelChoiceField(
        queryset=Tier.objects.filter(active=True, is_free=False),
        to_field_name="slug",
        error_messages={
            "required": "Choose a membership.",
            "invalid_choice": "That membership is not offered.",
        },
    )
    interval = forms.ChoiceField(
        choices=[("month", "Monthly"), ("year", "Yearly")],
        error_messages={
            "required": "Choose monthly or yearly.",
            "invalid_choice": "Choose monthly or yearly.",
        },
    )


class GrantForm(forms.Form):
    """A complimentary membership, granted by a member of staff."""

    email = forms.CharField(label="Email address")
    tier = forms.ModelChoiceField(queryset=Tier.objects.all(), to_field_name="slug")
    until = forms.DateField(
        required=False,
        help_text="The last day it runs; empty: until it is taken back.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_email(self):
        return normalise_address(self.cleaned_data["email"])
