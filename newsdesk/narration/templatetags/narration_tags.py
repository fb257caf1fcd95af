from django import template

register = template.Library()


@register.filter
def spoken_duration(seconds):
    """4 min 12 s; 45 s."""
    minutes, seconds = divmod(round(seconds or 0), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@register.filter
def iso_duration(delta):
    """A timedelta as an ISO 8601 duration for <time datetime>, e.g. PT4M12S."""
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"PT{minutes}M{seconds}S"
