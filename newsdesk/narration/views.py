import io
import textwrap

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw, ImageFont

from newsdesk.core.models import NewsroomSettings
from newsdesk.narration.feeds import PodcastFeed
from newsdesk.narration.models import Narration

ARTWORK_SIZE = 1400  # podcast directories ask for a square of 1400 to 3000 pixels


@require_GET
def captions(request, page_id):
    """An article's WebVTT captions, with the content type browsers require of a <track>."""
    narration = get_object_or_404(Narration, pk=page_id, page__live=True, enabled=True)
    if not narration.captions:
        raise Http404("This article has no captions.")
    with default_storage.open(narration.captions.name) as file:
        return HttpResponse(file.read(), content_type="text/vtt; charset=utf-8")


@require_GET
def podcast_feed(request, slug=None):
    return PodcastFeed(request)(request, kind="section" if slug else "all", slug=slug)


@require_GET
@cache_control(public=True, max_age=3600)
def podcast_artwork(request):
    """The podcast's cover: the newsroom's name, large, on its colour; made from the settings, nothing to upload."""
    name = NewsroomSettings.for_request(request).name
    image = Image.new("RGB", (ARTWORK_SIZE, ARTWORK_SIZE), (24, 44, 74))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=130)
    lines = [*textwrap.wrap(name, width=14)[:5], "", "Read aloud"]
    draw.multiline_text((110, 110), "\n".join(lines), font=font, fill=(255, 255, 255), spacing=30)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return HttpResponse(buffer.getvalue(), content_type="image/png")
