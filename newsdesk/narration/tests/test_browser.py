"""A reader plays a narrated article in Debian's Chromium: the compact player, and the native one without JavaScript."""

import pytest
from playwright.sync_api import expect

from newsdesk.narration.models import Narration
from newsdesk.narration.tests.conftest import paragraphs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrated_url(live_site, newsroom, publish_article, run_tasks):
    article = publish_article(
        "Bridge reopens", body=paragraphs("The old bridge reopened on Monday.")
    )
    run_tasks()  # the live server's tests commit, so publishing queued the narration
    narration = Narration.objects.get(pk=article.pk)
    assert narration.status == Narration.Status.READY
    return live_site.url + article.url, narration


def test_the_compact_player_plays_seeks_changes_speed_and_shows_captions(
    narrated_url, page, assert_accessible
):
    url, narration = narrated_url
    seconds = round(narration.duration)
    audio_requests = []
    page.on(
        "request",
        lambda request: (
            audio_requests.append(request.url)
            if request.url.endswith(narration.audio_url)
            else None
        ),
    )
    page.goto(url, timeout=60_000)
    page.wait_for_load_state("networkidle")
    audio = page.locator("audio.narration__player")
    controls = page.locator(".narration__controls")
    expect(controls).to_be_visible()
    expect(audio).to_be_hidden()
    assert audio.evaluate("a => a.autoplay") is False
    assert audio.evaluate("a => a.preload") == "none"
    expect(page.locator(".narration__disclosure")).to_contain_text("synthetic (AI) voice")

    # The length shows before playing, from the page: no byte of the audio is fetched for it.
    expect(page.locator("[data-total]")).to_have_text(f"0:{seconds:02d}")
    seek = page.get_by_role("slider", name="Position")
    expect(seek).to_have_attribute("aria-valuetext", f"0 s of {seconds} s")
    assert audio_requests == []
    assert_accessible(page)

    play = page.get_by_role("button", name="Play")
    audio.evaluate("a => { a.muted = true; }")
    play.click()
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2")
    assert audio_requests
    # The file's own length, once known, is the page's figure rounded the same way.
    expect(page.locator("[data-total]")).to_have_text(f"0:{seconds:02d}")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Pause").click()
    assert audio.evaluate("a => a.paused") is True

    speed = page.get_by_role("button", name="Speed")
    expect(speed).to_have_text("Speed 1×")
    speed.click()
    speed.click()
    expect(speed).to_have_text("Speed 1.5×")
    assert audio.evaluate("a => a.playbackRate") == 1.5
    speed.click()
    speed.click()
    assert audio.evaluate("a => a.playbackRate") == 1

    seek.focus()
    page.keyboard.press("Home")
    assert audio.evaluate("a => a.currentTime") == 0
    page.keyboard.press("ArrowRight")
    assert audio.evaluate("a => a.currentTime") == 5
    expect(seek).to_have_attribute("aria-valuetext", f"5 s of {seconds} s")
    expect(page.locator("[data-elapsed]")).to_have_text("0:05")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert audio.evaluate("a => a.currentTime") == 0
    page.keyboard.press("End")
    assert audio.evaluate("a => a.currentTime") == pytest.approx(audio.evaluate("a => a.duration"))

    captions = page.get_by_role("button", name="Captions")
    expect(captions).to_have_attribute("aria-pressed", "false")
    # The captions file is fetched only for a reader who turns them on.
    assert audio.evaluate("a => a.querySelector('track').readyState") == 0
    captions.click()
    expect(captions).to_have_attribute("aria-pressed", "true")
    seek.focus()
    page.keyboard.press("Home")
    play.click()
    expect(page.locator("[data-caption]")).to_have_text("Bridge reopens.")
    assert audio.evaluate("a => a.querySelector('track').readyState") == 2
    audio.evaluate("a => a.pause()")
    assert_accessible(page)


def test_without_javascript_the_browser_s_own_control_plays(narrated_url, browser):
    url, narration = narrated_url
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url, timeout=60_000)
        page.wait_for_load_state("networkidle")
        audio = page.locator("audio.narration__player")
        expect(audio).to_be_visible()
        assert audio.get_attribute("controls") == ""
        expect(page.locator(".narration__controls")).to_be_hidden()
        expect(page.locator(".narration__heading time")).to_have_text(
            f"{round(narration.duration)} s"
        )
    finally:
        context.close()
