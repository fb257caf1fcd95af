"""What the story editor asks the server while an editor writes (editor-desk.js)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from wagtail.permissions import policy_registry

from newsdesk.images.models import NewsImage

CARD_PREVIEW_SPEC = "fill-600x338|format-jpeg"  # the share image's 16:9 shape, at preview size


def image_facts(request, pk):
    """A picture's alt text and credit, for the checklist, and the social card's preview of it."""
    if not policy_registry.get_by_type(NewsImage).user_has_any_permission(
        request.user, ["choose", "change", "add"]
    ):
        raise PermissionDenied
    image = get_object_or_404(NewsImage, pk=pk)
    return JsonResponse(
        {
            "title": image.title,
            "alt": image.alt_text,
            "credit": image.credit,
            "card_url": image.get_rendition(CARD_PREVIEW_SPEC).url,
        }
    )
