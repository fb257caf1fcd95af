import io
import textwrap
from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from PIL import Image, ImageDraw, ImageFont

from newsdesk.core import access
from newsdesk.core.models import NewsroomSettings
from newsdesk.core.storage import open_for_streaming
from newsdesk.core.views import ranged
from newsdesk.narration.feeds import PodcastFeed
from newsdesk.narration.models import Narration

ARTWORK_SIZE = 1400  # podcast directories ask for a square of 1400 to 3000 pixels


def _heard_by(request, page_id):
    """The narration and whether it is everyone's (a live, unrestricted story); a restricted or
    gated story's for the readers it admits, a draft or unpublished one for its editors (admin,
    previews). Else 404."""
    narration = get_object_or_404(
        Narration.objects.select_related("page"), pk=page_id, enabled=True
    )
    page = narration.page
    rules = list(page.get_view_restrictions())
    if page.live and all(rule.accept_request(request) for rule in rules):
        # Made before the story was gated, the audio may read the gated part aloud.
        gate = access.access_for(request, page)
        if gate is None or gate.may_read:
            return narration, not rules and gate is None
    if request.user.is_authenticated and page.permissions_for_user(request.user).can_edit():
        return narration, False
    raise Http404("No such narration.")


def _served(response, public):
    # A withdrawn story's audio leaves browsers and caches within minutes; its pages are purged.
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def audio_file(request, page_id, version):
    """The MP3 of the current version of an article's narration, in byte ranges for seeking."""
    narration, public = _heard_by(request, page_id)
    if not narration.audio or PurePosixPath(narration.audio.name).stem != version:
        raise Http404("No such audio.")
    try:
        audio = open_for_streaming(narration.audio.storage, narration.audio.name)
    except FileNotFoundError:
        raise Http404("No such audio.") from None
    response = FileResponse(audio, content_type="audio/mpeg")
    return ranged(request, _served(response, public))


@require_GET
def captions(request, page_id):
    """An article's WebVTT captions, with the content type browsers require of a <track>."""
    narration, public = _heard_by(request, page_id)
    if not narration.captions:
        raise Http404("This article has no captions.")
    with narration.captions.open("rb") as file:
        response = HttpResponse(file.read(), content_type="text/vtt; charset=utf-8")
    return _served(response, public)


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
