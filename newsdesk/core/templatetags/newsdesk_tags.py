import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsdesk.core.links import absolute_url as make_absolute_url
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
