"""What reader revenue writes to Wagtail's audit log. A reader's and Stripe's steps have no acting user ("system")."""

DONATION = "support.donation"
GIFT_BOUGHT = "support.gift_bought"
GIFT_CLAIMED = "support.gift_claimed"


def register(actions):
    """For Wagtail's register_log_actions hook."""
    actions.register_action(DONATION, "Donation", "Donation received")
    actions.register_action(GIFT_BOUGHT, "Gift bought", "Gift membership paid for")
    actions.register_action(GIFT_CLAIMED, "Gift claimed", "Gift membership claimed")
