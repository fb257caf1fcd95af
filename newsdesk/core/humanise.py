"""Numbers as an editor reads them: counts with their noun, lengths of time in words."""

from django.utils.formats import number_format


def count(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 confirmed subscriber", "12,408 confirmed subscribers"."""
    noun = singular if number == 1 else (plural or f"{singular}s")
    return f"{number_format(number, force_grouping=True)} {noun}"


def duration(seconds: float) -> str:
    """ "45 s", "7 min 10 s", "1 h 5 min": the two largest units, none of them zero."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"
