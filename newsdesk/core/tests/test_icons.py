"""The site's icon in every tab and at /favicon.ico, and the newsroom's name in the admin."""

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_the_icon_at_three_sizes(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(BytesIO(response.content))
    assert icon.format == "ICO"
    assert icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}


def test_every_page_links_the_icons_and_they_exist(client, newsroom, publish_article):
    article = publish_article()
    for url in ("/", article.url):
        html = client.get(url).content.decode()
        links = dict(
            re.findall(
                r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"[^>]*?(?:sizes="(\w+)")?',
                html,
            )
        )
        assert set(links) == {"newsdesk/favicon-32.png", "newsdesk/apple-touch-icon.png"}
        # The SVG is in the page itself: no request of its own beside the page's first paint.
        [svg_icon] = re.findall(
            r'<link rel="icon" href="data:image/svg\+xml,([^"]+)" sizes="any"', html
        )
        assert unquote(svg_icon) == Path(finders.find("newsdesk/favicon.svg")).read_text().strip()
        assert not re.search(r"[\s#\"'<>]", svg_icon)  # nothing that would end or cut the address
    for name, size in [("newsdesk/favicon-32.png", 32), ("newsdesk/apple-touch-icon.png", 180)]:
        assert Image.open(finders.find(name)).size == (size, size)
    assert Path(finders.find("newsdesk/favicon.svg")).read_text().startswith("<svg")


def test_the_admin_is_titled_with_the_newsrooms_name_not_wagtail(newsroom, editor_client):
    login = Client().get("/admin/login/").content.decode()
    assert "<title>Sign in - The Test Ledger</title>" in login
    assert "<h1>Sign in to The Test Ledger</h1>" in login
    assert '<link rel="icon" href="data:image/svg+xml,' in login
    dashboard = editor_client.get("/admin/").content.decode()
    assert re.search(r"<title>[^<]*- The Test Ledger</title>", dashboard)
    assert re.search(r'<h1 class="w-h1[^"]*">\s*The Test Ledger\s*</h1>', dashboard)
