"""The "Support our reporting" box: a block of article bodies, and the end of every story."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_every_story_ends_with_the_box_linking_to_support_once_payments_are_set_up(
    client, publish_article, settings, campaign
):
    article = publish_article()
    settings.STRIPE_SECRET_KEY = ""
    page = client.get(article.url).content.decode()
    assert 'class="support-box"' in page and "Support our reporting" in page
    box = page[page.index('class="support-box"') : page.index("newsletter-aside")]
    assert 'href="/support/"' not in box
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    cache.clear()
    page = client.get(article.url).content.decode()
    assert '<a class="button" href="/support/">Support us</a>' in page
    assert "1,000 new members by spring" in page
    # After the story, before the newsletters' aside.
    assert (
        page.index("The old bridge reopened")
        < page.index("support-box")
        < page.index("newsletter-aside")
    )


def test_the_body_block_with_its_own_words_and_campaign(
    client, publish_article, settings, campaign
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    article = publish_article(
        body=[
            {"type": "paragraph", "value": "<p>First.</p>"},
            {
                "type": "support",
                "value": {
                    "heading": "Keep the bridge beat alive",
                    "text": "Fund our city desk.",
                    "campaign": campaign.pk,
                },
            },
            {"type": "paragraph", "value": "<p>Last.</p>"},
        ]
    )
    page = client.get(article.url).content.decode()
    assert page.index("First.") < page.index("Keep the bridge beat alive") < page.index("Last.")
    assert "Fund our city desk." in page
    assert page.count('<a class="button" href="/support/">Support us</a>') == 2
