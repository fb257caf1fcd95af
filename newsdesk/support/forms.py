from decimal import Decimal, InvalidOperation

from django import forms

from newsdesk.members.models import Tier, format_price
from newsdesk.support.gifts import MESSAGE_MAX
from newsdesk.support.models import DonationSettings, Gift

CUSTOM = "custom"


class DonationForm(forms.Form):
    """Once or monthly, a preset amount or the reader's own within the newsroom's bounds; in minor units once clean."""

    frequency = forms.ChoiceField(
        choices=[("once", "Once"), ("monthly", "Monthly")],
        initial="monthly",
        widget=forms.RadioSelect,
    )
    amount = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an amount, or give your own."},
    )
    custom_amount = forms.CharField(required=False, max_length=12, label="Other amount")
    email = forms.EmailField(
        required=False, max_length=254, label="Email for the receipt (optional)"
    )

    def __init__(self, *args, settings: DonationSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.donation_settings = settings
        presets = settings.presets
        self.fields["amount"].choices = [
            (str(amount), format_price(amount, settings.currency)) for amount in presets
        ] + [(CUSTOM, "Other")]
        if presets:
            self.fields["amount"].initial = str(presets[len(presets) // 2])

    def _custom_in_minor_units(self, text: str) -> int:
        unit = self.donation_settings.unit
        places = 0 if unit == 1 else 2
        try:
            value = Decimal(text.replace(",", ".").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value.as_tuple().exponent < -places:
            example = "15" if places == 0 else "15 or 15.50"
            raise forms.ValidationError(f"Give the amount as a number, like {example}.")
        return int(value * unit)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("amount")
        if choice is None:
            return cleaned
        if choice == CUSTOM:
            text = cleaned.get("custom_amount", "")
            if not text:
                self.add_error("custom_amount", "Give the amount you want to give.")
                return cleaned
            try:
                amount = self._custom_in_minor_units(text)
            except forms.ValidationError as error:
                self.add_error("custom_amount", error)
                return cleaned
        else:
            amount = int(choice)
        low, high = self.donation_settings.bounds
        currency = self.donation_settings.currency
        if amount < low:
            self.add_error(
                "custom_amount", f"The smallest amount is {format_price(low, currency)}."
            )
        elif amount > high:
            self.add_error(
                "custom_amount", f"The largest amount at once is {format_price(high, currency)}."
            )
        else:
            cleaned["amount_minor"] = amount
        return cleaned


class GiftForm(forms.Form):
    buyer_email = forms.EmailField(max_length=254, label="Your email")
    recipient_email = forms.EmailField(max_length=254, label="Their email")
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.filter(active=True, is_free=False),
        empty_label=None,
        to_field_name="slug",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the memberships offered."},
    )
    months = forms.TypedChoiceField(
        choices=Gift.MONTHS,
        coerce=int,
        initial=3,
        error_messages={"invalid_choice": "Choose 1, 3, 6 or 12 months."},
    )
    message = forms.CharField(
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A message for them (optional)",
    )

    def clean(self):
        cleaned = super().clean()
        buyer, recipient = cleaned.get("buyer_email"), cleaned.get("recipient_email")
        if buyer and recipient and buyer.lower() == recipient.lower():
            self.add_error("recipient_email", "A gift is for someone else: give their address.")
        return cleaned
