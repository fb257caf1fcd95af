"""Subscribe forms where editors put them: the article body, beside articles, the home page, the newsletters page."""

import pytest
from bs4 import BeautifulSoup

from newsdesk.demo.loader import load_demo
from newsdesk.newsletters.models import Newsletter

pytestmark = pytest.mark.django_db


def forms_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").select(
        "form[data-subscribe-form]"
    )


def offered(form):
    return [field["value"] for field in form.find_all("input", {"name": "newsletter"})]


def test_a_signup_block_in_the_body_offers_the_chosen_newsletters(
    client, newsletters, publish_article
):
    body = [
        {"type": "paragraph", "value": "<p>First paragraph.</p>"},
        {
            "type": "newsletter_signup",
            "value": {"heading": "Get the briefing", "newsletters": [newsletters["briefing"].pk]},
        },
        {
            "type": "newsletter_signup",
            "value": {
                "heading": "",
                "newsletters": [
                    newsletters["briefing"].pk,
                    newsletters["explainer"].pk,
                    newsletters["closed"].pk,
                ],
            },
        },
    ]
    article = publish_article(body=body)
    forms = BeautifulSoup(client.get(article.url).content.decode(), "html.parser").select(
        ".article__body form[data-subscribe-form]"
    )
    assert [offered(form) for form in forms] == [["briefing"], ["briefing", "explainer"]]
    single, choice = forms
    assert single.find("input", {"name": "newsletter"})["type"] == "hidden"
    assert "Get the briefing" in single.find_parent("section").h2.get_text()
    assert choice.find("input", {"name": "newsletter"})["type"] == "checkbox"
    # Every form's email field has its own label and required marker.
    for form in forms:
        field = form.find("input", {"name": "email"})
        label = form.find("label", {"for": field["id"]})
        assert "Enter your email to subscribe" in label.get_text() and "*" in label.get_text()
        assert field.has_attr("required")
        assert form.find("input", {"name": "source"})["value"] == article.url


def test_a_block_whose_newsletters_all_closed_shows_nothing(client, newsletters, publish_article):
    article = publish_article(
        body=[
            {
                "type": "newsletter_signup",
                "value": {"heading": "Gone", "newsletters": [newsletters["closed"].pk]},
            }
        ]
    )
    assert not BeautifulSoup(client.get(article.url).content.decode(), "html.parser").select(
        ".article__body form"
    )


def test_every_article_and_the_home_page_offer_the_open_newsletters(
    client, newsletters, publish_article
):
    article = publish_article()
    for url in (article.url, "/"):
        forms = forms_on(client, url)
        assert ["briefing", "explainer"] in [offered(form) for form in forms]


def test_the_newsletters_page_is_one_form_with_a_described_choice_per_newsletter(
    client, newsletters
):
    response = client.get("/newsletters/")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    page = soup.select_one(".newsletters-page")
    (form,) = page.select("form[data-subscribe-form]")
    assert offered(form) == ["briefing", "explainer"]
    assert len(form.select("input[name=email]")) == 1
    choices = form.select(".subscribe-form__choice")
    assert [choice.label.strong.get_text() for choice in choices] == [
        "The Briefing",
        "The Explainer",
    ]
    # Name, cadence and host once each; the description is tied to its checkbox.
    explainer = choices[1]
    assert explainer.label.get_text(" ", strip=True) == (
        "The Explainer Every weekday morning · with News desk"
    )
    about = explainer.select_one(".subscribe-form__description")
    assert about.get_text() == "All about the explainer."
    assert explainer.input["aria-describedby"] == about["id"]
    assert page.get_text().count("Every weekday morning") == 2  # one per newsletter
    assert "* indicates required" in form.get_text(" ", strip=True)
    # Nothing is ticked yet, so the consent line names no newsletter.
    consent = form.select_one(".subscribe-form__consent").get_text()
    assert consent.startswith("Subscribe to the newsletters you tick. We will email you a link")


def test_a_form_for_one_newsletter_names_it_in_the_consent_line(client, newsletters):
    response = client.post(
        "/newsletters/subscribe/", {"newsletter": "briefing", "email": "", "started": "x"}
    )
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    consent = soup.select_one(".subscribe-form__consent").get_text()
    assert consent.startswith("Subscribe to The Briefing. We will email you")


def test_the_demo_has_three_newsletters_and_a_signup_in_a_story(client, db):
    load_demo()
    assert Newsletter.objects.filter(is_active=True).count() >= 3
    assert all(newsletter.host.kind == "person" for newsletter in Newsletter.objects.all())
    from newsdesk.articles.models import ArticlePage

    story = next(
        a
        for a in ArticlePage.objects.live()
        if any(b.block_type == "newsletter_signup" for b in a.body)
    )
    assert not story.was_updated
    assert client.get(story.url).content.decode().count("data-subscribe-form") >= 2
