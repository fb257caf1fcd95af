"""The demo newsroom shows reader revenue: a running campaign, the donation presets, payments not set up."""

import pytest
from django.core.cache import cache

from newsdesk.demo.loader import load_demo
from newsdesk.support.models import Campaign

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_running_campaign_and_presets(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    load_demo()
    cache.clear()
    assert Campaign.objects.count() == 1
    support = client.get("/support/").content.decode()
    assert "500 new members by the end of the month" in support
    assert "Payments are not set up yet" in support
    home = client.get("/").content.decode()
    assert "500 new members by the end of the month" in home
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    support = client.get("/support/").content.decode()
    for preset in ("€5.00", "€10.00", "€25.00", "€50.00"):
        assert preset in support
