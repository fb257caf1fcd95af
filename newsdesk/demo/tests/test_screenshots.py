"""The README's pictures of what one gets, taken from the demo in Debian's Chromium.

`make screenshots` writes them to docs/images/; the normal run takes them into a
temporary folder, so a page that no longer renders as pictured fails here.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from newsdesk.core.models import NewsroomSettings
from newsdesk.demo.loader import load_demo
from newsdesk.home.models import HomePage
from newsdesk.narration.tasks import narrate_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def folder(request, tmp_path):
    chosen = request.config.getoption("--screenshots")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo(live_site, run_tasks):
    load_demo()
    run_tasks("default")
    lead = HomePage.objects.get().featured_stories.first().article
    narrate_article.call(lead.pk)  # the lead story with its player, as readers get it
    return lead


def shoot(browser, url, path, viewport, mobile=False, sign_in=None):
    context = browser.new_context(viewport=viewport, is_mobile=mobile, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    if sign_in:
        sign_in(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=path)
    context.close()
    return Image.open(path).size


def test_the_readme_pictures_the_article_the_home_page_on_a_phone_and_the_admin(
    demo, live_site, browser, folder
):
    name = NewsroomSettings.objects.get().name
    assert shoot(browser, live_site.url + demo.url, folder / "article.png", LAPTOP) == (1280, 800)
    assert shoot(browser, live_site.url + "/", folder / "home-phone.png", PHONE, True) == (390, 844)

    User.objects.create_superuser("editor", "editor@newsdesk.invalid", "demo-password-42")

    def sign_in(page):
        page.goto(live_site.url + "/admin/login/")
        expect(page).to_have_title(f"Sign in - {name}")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Sign in to {name}")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("demo-password-42")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)

    assert shoot(browser, live_site.url + "/admin/", folder / "admin.png", LAPTOP, sign_in=sign_in)
    for picture in ("article.png", "home-phone.png", "admin.png"):
        # A picture of something: not a blank or one-colour page.
        assert len(Image.open(folder / picture).convert("L").getcolors(65536)) > 50
