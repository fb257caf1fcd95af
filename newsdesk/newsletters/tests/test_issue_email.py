"""The designed issue email: masthead, a lead story with a sized picture, the rest as a list, the footer."""

import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from newsdesk.newsletters.models import Issue, IssueStory
from newsdesk.newsletters.sending import issues
from newsdesk.newsletters.sending import sends as sending

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_story_issue(newsletters, publish_article, newsroom):
    lead = publish_article(
        "Bridge reopens after repairs",
        lead_image=newsroom["image"],
        standfirst="The old bridge carries trams again after six weeks of work.",
    )
    pictured = publish_article(
        "Council passes the budget",
        lead_image=newsroom["image"],
        standfirst="Repairs first, the concert hall later. " * 8,
    )
    plain = publish_article("Rain expected on Friday")
    issue = Issue.objects.create(newsletter=newsletters["briefing"], subject="Morning: the bridge")
    for order, article in enumerate((lead, pictured, plain)):
        IssueStory.objects.create(issue=issue, article=article, sort_order=order)
    return issue


def test_the_issue_email_through_smtp_has_masthead_lead_list_and_footer(
    three_story_issue, audience, run_tasks, mail_catcher
):
    audience(confirmed=1)
    sending.start(three_story_issue)
    run_tasks()

    [message] = mail_catcher()
    assert message.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    unsubscribe_url = message.header("List-Unsubscribe").strip("<>")
    soup = BeautifulSoup(message.html, "html.parser")

    sheet = soup.select_one("table.sheet")
    assert sheet["width"] == "600"
    masthead = sheet.select_one(".masthead")
    assert masthead.select_one(".masthead-name").get_text() == "The Test Ledger"
    assert masthead.select_one(".masthead-line").get_text() == "The Briefing · with Ira Test"
    assert "border-bottom: 4px solid #a3001b" in masthead["style"]

    lead = sheet.select_one(".lead")
    image = lead.select_one("img")
    # A rendition at twice the shown size, not the 1600 px original.
    assert (image["width"], image["height"]) == ("552", "310")
    assert re.search(r"\.fill-1104x621\.", image["src"]) and image["src"].startswith("http")
    assert image["alt"] == "Illustration: a river at dusk"
    assert lead.select_one(".lead-title").get_text() == "Bridge reopens after repairs"

    items = sheet.select(".item")
    assert [item.select_one(".item-title").get_text() for item in items] == [
        "Council passes the budget",
        "Rain expected on Friday",
    ]
    thumbnail = items[0].select_one("img")
    assert (thumbnail["width"], thumbnail["height"], thumbnail["alt"]) == ("96", "96", "")
    assert re.search(r"\.fill-192x192\.", thumbnail["src"])
    assert items[1].select_one("img") is None
    assert len(items[0].select_one(".item-line").get_text()) <= 120

    footer = sheet.select_one(".footer")
    assert footer.find("a", href=unsubscribe_url).get_text() == "Unsubscribe from The Briefing"
    assert "/newsletters/preferences/" in footer.find("a", string=re.compile("choices"))["href"]
    assert "prefers-color-scheme: dark" in message.html

    text = message.text
    assert text.index("Bridge reopens after repairs") < text.index("MORE STORIES")
    assert text.index("MORE STORIES") < text.index("Council passes the budget")
    assert f"Unsubscribe: {unsubscribe_url}" in text


def test_the_masthead_takes_the_logo_and_a_hex_accent_when_the_settings_have_them(newsroom):
    logo = newsroom["image"]
    masthead = issues._masthead(
        SimpleNamespace(name="The Test Ledger", logo=logo, accent_colour="#0b57d0")
    )
    assert masthead["accent"] == "#0b57d0"
    # The 1600 × 900 picture fits the 240 × 48 box by its height.
    assert (masthead["logo"].width, masthead["logo"].height) == (85, 48)

    hostile = issues._masthead(
        SimpleNamespace(name="X", logo=None, accent_colour="red;} body{display:none")
    )
    assert hostile["accent"] == "#a3001b" and hostile["logo"] is None
    # Before Settings → Newsroom has either field, the name alone.
    assert issues._masthead(SimpleNamespace(name="X")) == {
        "name": "X",
        "logo": None,
        "accent": "#a3001b",
    }


def test_a_logo_shows_in_the_rendered_masthead_instead_of_the_name(
    three_story_issue, newsroom, monkeypatch
):
    logo = newsroom["image"]
    monkeypatch.setattr(
        issues,
        "_masthead",
        lambda newsroom: {
            "name": newsroom.name,
            "logo": issues._picture(logo, issues.LOGO),
            "accent": "#0b57d0",
        },
    )
    html, _ = issues.render_sample(three_story_issue)
    masthead = BeautifulSoup(html, "html.parser").select_one(".masthead")
    image = masthead.select_one("img.logo")
    assert image["alt"] == "The Test Ledger" and image["height"] == "48"
    assert masthead.select_one(".masthead-name") is None
