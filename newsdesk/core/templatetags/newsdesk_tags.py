import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsdesk.core import brand
from newsdesk.core.fragments import cached_fragment
from newsdesk.core.links import absolute_url as make_absolute_url
from newsdesk.core.pagecache import page_tag
from newsdesk.core.slots import SLOTS
from newsdesk.core.xml import xml_safe as strip_non_xml

register = template.Library()

# Characters that could close the script element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Structured data for search engines, safe inside a script element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def xml_safe(text):
    return strip_non_xml(text)


@register.filter
def absolute_url(path):
    return make_absolute_url(path)


@register.inclusion_tag("core/edit_link.html", takes_context=True)
def edit_link(context, page):
    """An "Edit" link for signed-in staff allowed to edit this page; nothing for anyone else."""
    user = getattr(context.get("request"), "user", None)
    can_edit = bool(
        user is not None
        and user.is_authenticated
        and page is not None
        and page.pk
        and page.permissions_for_user(user).can_edit()
    )
    return {"page": page, "can_edit": can_edit}


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, tags, vary):
        self.nodelist, self.name, self.tags, self.vary = nodelist, name, tags, vary

    def render(self, context):
        return cached_fragment(
            context.get("request"),
            self.name.resolve(context),
            [str(tag.resolve(context)) for tag in self.tags],
            lambda: self.nodelist.render(context),
            vary=tuple(str(value.resolve(context)) for value in self.vary),
        )


@register.tag
def cachedfragment(parser, token):
    """Keeps what it encloses until one of the page cache's tags it names is renewed (core/fragments.py).

    {% cachedfragment "name" "tag" page|page_tag vary value ... %}...{% endcachedfragment %}
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("cachedfragment needs a name.")
    tags, vary = bits[1:], []
    if "vary" in tags:
        tags, vary = tags[: tags.index("vary")], tags[tags.index("vary") + 1 :]
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist,
        parser.compile_filter(bits[0]),
        [parser.compile_filter(tag) for tag in tags],
        [parser.compile_filter(value) for value in vary],
    )


@register.simple_tag(takes_context=True)
def slot(context, name, *vary):
    """What the apps put in this slot of the page (core/slots.py); kept while the tags they name are current.

    {% slot "rail" vary today %}
    """
    fills = SLOTS.get(name, ())

    def render():
        engine = context.template.engine
        return mark_safe(  # each part is a rendered template, escaped as it was rendered
            "".join(engine.get_template(template).render(context) for template, _ in fills)
        )

    tags = sorted({tag for _, fill_tags in fills for tag in fill_tags})
    if not tags:
        return render()
    return cached_fragment(
        context.get("request"), f"slot-{name}", tags, render, vary=tuple(map(str, vary))
    )


register.filter("page_tag", page_tag)


@register.simple_tag(takes_context=True)
def site_icons(context):
    """The site's icons (core/brand.py): the logo's square crops, or the shipped ones."""
    return brand.icons(context["settings"]["core"]["NewsroomSettings"])
