"""The Content-Security-Policy: on every page; nothing inline runs; the site and its admin work under it."""

import json
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def watch_for_violations(page):
    """Every message Chromium gives about something the policy refused."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_every_page_has_a_policy_that_runs_no_inline_script(client, newsroom, publish_article):
    article = publish_article("Bridge reopens")
    for url in ("/", article.url, "/news/", "/search/?q=bridge", "/newsletters/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"


def test_an_article_runs_its_scripts_under_the_policy_and_keeps_its_json_ld(
    live_site, page, newsroom, publish_article
):
    article = publish_article("Bridge reopens")
    refused = watch_for_violations(page)
    page.goto(live_site.url + article.url, timeout=60_000)
    assert page.locator("script[src]").count() >= 1
    data = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert data["@type"] == "NewsArticle"
    page.wait_for_load_state("networkidle")
    assert refused == [], "\n".join(refused)


def test_the_admin_s_editor_works_under_its_policy(live_site, page, newsroom, publish_article):
    article = publish_article("Bridge reopens")
    User.objects.create_superuser("chief", "chief@example.org", "pw-for-the-csp-test")
    refused = watch_for_violations(page)
    page.goto(live_site.url + "/admin/login/", timeout=60_000)
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("pw-for-the-csp-test")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"), timeout=30_000)
    page.goto(live_site.url + f"/admin/pages/{article.pk}/edit/", timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)
    # The editor's scripts ran: the body's blocks are drawn by them.
    expect(page.locator("[data-streamfield-stream-container], .w-panel").first).to_be_visible(
        timeout=30_000
    )
    page.locator("#id_title").fill("Bridge reopens at last")
    assert refused == [], "\n".join(refused)


def test_the_error_pages_may_use_their_inline_style(rf):
    from newsdesk.core.csp import ContentSecurityPolicyMiddleware
    from newsdesk.core.views import server_error

    response = ContentSecurityPolicyMiddleware(server_error)(rf.get("/"))
    assert response.status_code == 500 and "<style>" in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy + ";"
