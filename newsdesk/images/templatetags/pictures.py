from django import template
from django.template.base import Token, TokenType
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
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
    node = wagtailimages_tags.image(
        parser, Token(TokenType.BLOCK, contents, token.position, token.lineno)
    )
    node.__class__ = PagePictureNode  # parsed as Wagtail parses {% picture %}, rendered as below
    return node


class PagePictureNode(wagtailimages_tags.PictureNode):
    """Wagtail's picture, less a size that comes out as wide as a smaller one's.

    Renditions are never wider than the original, so a picture narrower than the largest
    size gives two of one width, and a srcset may not name a width twice (HTML's rule).
    """

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = {}
        widths = set()
        for spec, rendition in get_renditions_or_not_found(image, self.get_filters()).items():
            size = (rendition.file.name.rsplit(".", 1)[-1], rendition.width)
            if size not in widths:
                widths.add(size)
                renditions[spec] = rendition
        if self.output_var_name:
            context[self.output_var_name] = Picture(renditions)
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return Picture(renditions, attrs).__html__()
