"""The slots of the base template (core/templates/base.html), filled by the apps above core.

An app fills a slot from its AppConfig.ready() with a template of its own,
`fill("footer_links", "newsletters/includes/footer_link.html")`, which
`{% slot "footer_links" %}` renders with the page's context, in the order the
apps are installed. A fill that names tags of the page cache is kept as a
fragment under them (core/fragments.py): the rail beside pages is.
"""

SLOTS = {}


def fill(slot, template_name, tags=()):
    SLOTS.setdefault(slot, []).append((template_name, tuple(tags)))
