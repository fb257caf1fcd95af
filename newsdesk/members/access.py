"""Which stories are gated, and whether a reader may read one: the gate members give core/access.py.

The gated stories are kept in the cache as one small map, so an article page
asks the database nothing more to learn it is public; the map is dropped when
a gated story or a tier changes.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from wagtail.models import Page

from newsdesk.core.access import Access
from newsdesk.members import sessions
from newsdesk.members.models import StoryAccess

GATED_KEY = "members:gated-stories"
# A change drops the map when it commits; a map being rebuilt at that moment
# may hold the old rule, for this long at most.
GATED_SECONDS = 60
GATE_TEMPLATE = "members/includes/gate.html"


def gated_stories() -> dict[int, tuple[str, list[int], str]]:
    """{page id: (level, tier ids, who may read it in words)}."""
    found = cache.get(GATED_KEY)
    if found is None:
        found = {}
        for rule in StoryAccess.objects.prefetch_related("tiers"):
            tiers = sorted(rule.tiers.all(), key=lambda tier: (tier.sort_order, tier.name))
            if rule.level == StoryAccess.Level.MEMBERS:
                who = "members"
            else:
                who = "members of " + " or ".join(tier.name for tier in tiers)
            found[rule.page_id] = (rule.level, [tier.pk for tier in tiers], who)
        cache.set(GATED_KEY, found, timeout=GATED_SECONDS)
    return found


def forget_gated_stories(**kwargs: object) -> None:
    transaction.on_commit(lambda: cache.delete(GATED_KEY))


def gate(request: HttpRequest, page: Page) -> Access | None:
    rule = gated_stories().get(page.pk)
    if rule is None:
        return None
    level, tier_ids, who = rule
    return Access(
        may_read=_may_read(request, page, level, tier_ids), template=GATE_TEMPLATE, who=who
    )


def _may_read(request, page, level, tier_ids):
    # Editors read what they edit, in previews and on the live page alike.
    if getattr(request, "is_preview", False) or _edits(request, page):
        return True
    # A reader without the member cookie costs no query.
    membership = sessions.membership_for(request)
    return membership is not None and (
        level == StoryAccess.Level.MEMBERS or membership.tier_id in tier_ids
    )


def _edits(request, page):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and page.permissions_for_user(user).can_edit())
