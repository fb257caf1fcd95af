"""Which newsletters are for members, and whom they admit: what members give newsletters/audience.py.

The rules are kept in the cache as one small map, as the gated stories are
(access.py): a send asks for it before every chunk of messages, and every
subscribe form on a kept page asks for it too. It is dropped when a rule or a
tier changes.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse

from newsdesk.members.models import Membership, NewsletterAccess

AUDIENCES_KEY = "members:newsletter-audiences"
AUDIENCES_SECONDS = 60


@dataclass(frozen=True)
class MembersAudience:
    who: str
    tier_ids: tuple[int, ...] | None  # None: any tier, the free one too

    @property
    def join_url(self) -> str:
        return reverse("membership")

    @property
    def choose_url(self) -> str:
        return reverse("account")

    @property
    def skip_reason(self) -> str:
        return f"not one of the {self.who} when sent"

    def memberships(self):
        """The memberships in force now that it admits."""
        current = Membership.objects.current()
        return current if self.tier_ids is None else current.filter(tier_id__in=self.tier_ids)

    def admits(self, email_field: str) -> Exists:
        # Compared as Member's unique index keeps the address: in lower case.
        return Exists(
            self.memberships()
            .annotate(address=Lower("member__email"))
            .filter(address=Lower(OuterRef(email_field)))
        )

    def admits_address(self, email: str) -> bool:
        return self.memberships().filter(member__email__iexact=email).exists()


def newsletter_audiences() -> dict[int, MembersAudience]:
    found = cache.get(AUDIENCES_KEY)
    if found is None:
        found = {}
        for rule in NewsletterAccess.objects.prefetch_related("tiers"):
            if rule.level == NewsletterAccess.Level.MEMBERS:
                found[rule.newsletter_id] = MembersAudience("members", None)
                continue
            tiers = sorted(rule.tiers.all(), key=lambda tier: (tier.sort_order, tier.name))
            found[rule.newsletter_id] = MembersAudience(
                "members of " + " or ".join(tier.name for tier in tiers),
                tuple(tier.pk for tier in tiers),
            )
        cache.set(AUDIENCES_KEY, found, timeout=AUDIENCES_SECONDS)
    return found


def forget_newsletter_audiences(**kwargs: object) -> None:
    transaction.on_commit(lambda: cache.delete(AUDIENCES_KEY))
