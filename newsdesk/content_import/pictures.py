"""The old site's pictures, brought into the image library once each.

A picture comes from the export's image folder when one is given (Ghost's
content/images, which its /content/images/... addresses name) or over HTTP
from the old site: http and https only, a timeout, the image library's size
limit, and Pillow must recognise it as an image the library takes. Only the
old site's own host may be on a private network (the operator named it);
any other host must resolve to public addresses, redirects included, so an
uploaded export cannot make the server fetch from inside its network. One
picture that cannot be had does not stop the import; the caller reports it.
"""

import hashlib
import io
import ipaddress
import re
import socket
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import requests
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image, UnidentifiedImageError

from newsdesk.content_import.models import ImportedPicture
from newsdesk.content_import.sources import Picture
from newsdesk.images.models import NewsImage

TIMEOUT_SECONDS = 15
MAX_REDIRECTS = 3
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Ghost serves resized copies at /content/images/size/w600/...; the folder keeps the original.
_GHOST_SIZE = re.compile(r"^size/[^/]+/(?:format/[^/]+/)?")


class Unavailable(Exception):
    """Why a picture could not be had."""


def _key(url):
    return hashlib.sha256(url.encode()).hexdigest()


class Pictures:
    """The import's pictures: known ones by address, new ones fetched and saved (unless dry_run)."""

    def __init__(
        self, site_url: str, images_dir: Path | None = None, *, dry_run: bool = False
    ) -> None:
        self.site_url = site_url
        self.images_dir = Path(images_dir).resolve() if images_dir else None
        self.dry_run = dry_run
        self.max_bytes = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        self.session = requests.Session()
        self.made = 0
        self.reused = 0
        self._checked = {}  # dry run: url → True, or the reason it is unavailable

    def close(self) -> None:
        self.session.close()

    def image_for(self, picture: Picture) -> NewsImage | None:
        """The library's image for a picture; None only in a dry run. Raises Unavailable."""
        url = urljoin(self.site_url + "/", picture.url.strip())
        known = ImportedPicture.objects.filter(url_hash=_key(url)).select_related("image").first()
        if known is not None:
            self.reused += 1
            return known.image
        if self.dry_run:
            # Read and checked, never stored: a dry run leaves no file behind.
            if url not in self._checked:
                try:
                    self._checked_image(self._content(url))
                    self._checked[url] = True
                    self.made += 1
                except Unavailable as error:
                    self._checked[url] = str(error)
            if self._checked[url] is not True:
                raise Unavailable(self._checked[url])
            return None
        content = self._content(url)
        extension = self._checked_image(content)
        name = Path(unquote(urlsplit(url).path)).stem[:80] or "picture"
        image = NewsImage(
            title=(picture.alt or picture.caption or name)[:255],
            description=picture.alt[:255],
            caption=picture.caption[:500],
            credit=picture.credit[:255],
        )
        image.file = ImageFile(io.BytesIO(content), name=f"{name}.{extension}")
        image.save()
        ImportedPicture.objects.create(url_hash=_key(url), url=url, image=image)
        self.made += 1
        return image

    def _local_file(self, url):
        path = urlsplit(url).path
        marker = "/content/images/"
        if self.images_dir is None or marker not in path:
            return None
        relative = _GHOST_SIZE.sub("", unquote(path.split(marker, 1)[1]))
        candidate = (self.images_dir / relative).resolve()
        # An address never leads out of the folder given.
        if not candidate.is_relative_to(self.images_dir):
            raise Unavailable("outside the images folder")
        return candidate

    def _content(self, url):
        local = self._local_file(url)
        if local is not None:
            if not local.is_file():
                raise Unavailable(f"not in the images folder ({local.name})")
            if local.stat().st_size > self.max_bytes:
                raise Unavailable("larger than the image library takes")
            return local.read_bytes()
        try:
            for _ in range(MAX_REDIRECTS + 1):
                self._check_address(url)
                with self.session.get(
                    url, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False
                ) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers["Location"])
                        continue
                    if response.status_code != 200:
                        raise Unavailable(f"{response.status_code} {response.reason}")
                    content = bytearray()
                    for chunk in response.iter_content(64 * 1024):
                        content += chunk
                        if len(content) > self.max_bytes:
                            raise Unavailable("larger than the image library takes")
                    return bytes(content)
        except requests.RequestException as error:
            raise Unavailable(f"could not be fetched ({type(error).__name__})") from error
        raise Unavailable("too many redirects")

    def _check_address(self, url):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unavailable("not an http or https address")
        if parts.hostname == urlsplit(self.site_url).hostname:
            return
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
        except (socket.gaierror, UnicodeError) as error:
            raise Unavailable("its host is unknown") from error
        if not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses):
            raise Unavailable("on a private network, not the old site's")

    def _checked_image(self, content):
        """The file's extension when Pillow reads it as an image the library takes."""
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise Unavailable("not a picture") from error
        except Image.DecompressionBombError as error:
            raise Unavailable("too many pixels") from error
        if kind not in FORMATS:
            raise Unavailable(f"a {kind} picture, which the image library does not take")
        return FORMATS[kind]
