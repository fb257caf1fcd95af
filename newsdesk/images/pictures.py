"""The pictures reader pages show, each a named set of renditions, defined once.

Templates ask for a picture by its name (`{% page_picture image "figure" ... %}`,
templatetags/pictures.py), code by `spec(name)`, and the worker makes every
rendition named here as soon as a picture is uploaded or replaced (tasks.py), so
that the first reader of a new story does not wait for Pillow. Each app offers the
pictures its templates show from its apps.py; a size asked for anywhere else
would be made at the first view again, so nothing reader-facing asks around this.
"""

from wagtail.images.models import Filter

_pictures: dict[str, str] = {}


def offer(name: str, spec: str) -> None:
    """Pages show pictures as `name`: the renditions of `spec`, a Wagtail filter spec whose
    parts are separated by spaces or pipes and may list options in braces, e.g.
    "format-{webp,jpeg} fill-{480x270,800x450}" (four renditions)."""
    _pictures[name] = spec


def spec(name: str) -> str:
    try:
        return _pictures[name]
    except KeyError:
        raise LookupError(
            f"No picture is named {name!r}; apps offer theirs with images.pictures.offer "
            f"(offered: {', '.join(sorted(_pictures))})"
        ) from None


def filter_specs() -> list[str]:
    """Every rendition a page may ask of a picture, each once, in a stable order."""
    return list(dict.fromkeys(s for spec in _pictures.values() for s in Filter.expand_spec(spec)))
