"""A reader plays a narrated article in Debian's Chromium, with its captions."""

import pytest
from playwright.sync_api import expect

from newsdesk.narration.models import Narration
from newsdesk.narration.tests.conftest import paragraphs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_player_plays_the_narration_and_loads_its_captions(
    live_site, newsroom, publish_article, run_tasks, page, assert_accessible
):
    article = publish_article(
        "Bridge reopens", body=paragraphs("The old bridge reopened on Monday.")
    )
    run_tasks()  # the live server's tests commit, so publishing queued the narration
    assert Narration.objects.get(pk=article.pk).status == Narration.Status.READY

    page.goto(live_site.url + article.url, timeout=60_000)
    player = page.locator("audio.narration__player")
    expect(player).to_be_visible()
    expect(page.locator(".narration__disclosure")).to_contain_text("synthetic voice")
    assert player.evaluate("a => a.autoplay") is False
    assert player.evaluate("a => a.preload") == "none"
    assert_accessible(page)

    player.evaluate("a => { a.muted = true; return a.play(); }")
    page.wait_for_function(
        "() => { const a = document.querySelector('audio.narration__player'); return a.currentTime > 0.2 }"
    )
    assert player.evaluate("a => a.duration") > 2
    page.wait_for_function(
        "() => { const t = document.querySelector('audio.narration__player').textTracks[0];"
        " return t.cues && t.cues.length > 0 }"
    )
    assert player.evaluate("a => a.querySelector('track').readyState") == 2
    assert player.evaluate("a => a.textTracks[0].cues[0].text") == "Bridge reopens."
