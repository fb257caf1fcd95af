from datetime import timedelta

from django import template

from newsdesk.narration import voices

register = template.Library()


@register.simple_tag
def voice_installed() -> bool:
    """Whether this site can narrate at all: without the narration extra, pages say "no voice"."""
    return voices.voice_installed()


@register.filter
def spoken_duration(seconds: float | None) -> str:
    """4 min 12 s; 45 s."""
    minutes, seconds = divmod(round(seconds or 0), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@register.filter
def clock_duration(seconds: float | None) -> str:
    """7:10; 0:45, as a player shows it."""
    minutes, seconds = divmod(round(seconds or 0), 60)
    return f"{minutes}:{seconds:02d}"


@register.filter
def iso_duration(delta: timedelta) -> str:
    """A timedelta as an ISO 8601 duration for <time datetime>, e.g. PT4M12S."""
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"PT{minutes}M{seconds}S"
