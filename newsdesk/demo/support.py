"""The demo newsroom's reader revenue: the donation presets, and a campaign running through the month."""

from datetime import timedelta

from django.utils import timezone

from newsdesk.support.models import Campaign, DonationSettings


def load_demo_support():
    """Presets of 5 to 50 euros, and a members campaign that started days ago and ends in three weeks."""
    settings = DonationSettings.load()
    settings.currency = "EUR"
    settings.preset_amounts = "5, 10, 25, 50"
    settings.minimum, settings.maximum = 2, 5000
    settings.save()
    now = timezone.now()
    return Campaign.objects.create(
        name="500 new members by the end of the month",
        description=(
            "Every new member pays for a week of reporting on the river and the city council. "
            "Help us get there."
        ),
        goal_kind=Campaign.Goal.MEMBERS,
        goal=500,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=21),
    )
