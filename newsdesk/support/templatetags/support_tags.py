from django import template

from newsdesk.members.payments import payments_configured
from newsdesk.support import campaigns

register = template.Library()


@register.inclusion_tag("support/includes/box.html")
def support_box(heading="", text="", campaign=None, box_id="box"):
    """The "Support our reporting" box: a body block's, or the one at the end of every story."""
    return {
        "heading": heading,
        "text": text,
        "box_id": box_id,
        "meter": campaigns.meter(campaign.pk if campaign else None),
        "payments_set_up": payments_configured(),
    }


@register.inclusion_tag("support/includes/meter.html")
def campaign_meter():
    return {"meter": campaigns.meter()}
