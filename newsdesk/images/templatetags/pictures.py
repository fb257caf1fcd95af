from django import template
from django.template.base import Token, TokenType
from wagtail.images.templatetags import wagtailimages_tags

from newsdesk.images import pictures

register = template.Library()


@register.tag
def page_picture(parser, token):
    """Wagtail's {% picture %}, the renditions named in images/pictures.py instead of spelled out:

        {% page_picture image "figure" sizes="..." alt=image.alt_text loading="lazy" %}

    The worker makes the same renditions ahead of the first view (images/tasks.py).
    """
    bits = token.split_contents()
    if len(bits) < 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError(
            'page_picture takes an image and a picture\'s name in quotes: {% page_picture image "figure" %}'
        )
    try:
        spec = pictures.spec(bits[2][1:-1])
    except LookupError as error:
        raise template.TemplateSyntaxError(str(error)) from error
    contents = " ".join(["picture", bits[1], spec, *bits[3:]])
    return wagtailimages_tags.image(
        parser, Token(TokenType.BLOCK, contents, token.position, token.lineno)
    )
