"""The admin in the newsroom's time zone.

Wagtail's admin views run in the editor's own zone from their account preferences, or else in
settings.TIME_ZONE, which is UTC here: an editor who chose none would read and type UTC times
while the site shows the newsroom's. The newsroom's zone is lent to them instead.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.users.models import UserProfile


def with_newsroom_zone(user, zone_name: str):
    """The user, whose profile (in memory only, never saved) defaults to the newsroom's zone."""
    if not user.is_authenticated:
        return user
    user = getattr(user, "_wrapped", user)  # the user itself, not the lazy object around it
    try:
        profile = user.wagtail_userprofile
    except UserProfile.DoesNotExist:
        profile = user.wagtail_userprofile = UserProfile(user=user)
    if not profile.current_time_zone:
        profile.current_time_zone = zone_name
    return user


def lend_newsroom_zone(request, zone_name: str) -> None:
    """Lends the zone when request.user is first read, so a page that never reads it costs nothing."""
    user = request.user
    request.user = SimpleLazyObject(lambda: with_newsroom_zone(user, zone_name))


def zone_label(zone: ZoneInfo | None = None, at: datetime | None = None) -> str:
    """ "Europe/Kyiv (EET, UTC+2)": the zone times are typed and shown in, as it is at `at`."""
    zone = zone or timezone.get_current_timezone()
    local = (at or timezone.now()).astimezone(zone)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "") if minutes else "UTC"
    abbreviation = local.tzname()
    name = getattr(zone, "key", str(zone))
    if name == utc:
        return name
    if abbreviation in (name, utc) or abbreviation.lstrip("+-").isdigit():
        return f"{name} ({utc})"
    return f"{name} ({abbreviation}, {utc})"
