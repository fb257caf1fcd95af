"""A reader subscribes from an article, confirms from the outbox and leaves, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.demo.loader import ensure_demo_editor, load_demo
from newsdesk.newsletters.models import Subscription
from newsdesk.newsletters.subscribers.forms import MIN_FILL_SECONDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(live_site, mail_catcher, settings):
    settings.NEWSDESK_SITE_URL = live_site.url  # links in the mail lead back to this server
    load_demo()
    return ArticlePage.objects.live().order_by("-first_published_at").first()


def fill_and_subscribe(page, form, address):
    form.get_by_label("Enter your email to subscribe").fill(address)
    # A person takes a moment; a faster form is treated as a bot's.
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 300)
    form.get_by_role("button", name="Subscribe").click()


def sign_in(page, live_site):
    ensure_demo_editor("editor-password-1")
    page.goto(live_site.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_a_reader_subscribes_with_javascript_confirms_from_the_outbox_and_leaves(
    article, live_site, page, run_tasks, assert_accessible
):
    page.goto(live_site.url + article.url, timeout=60_000)
    assert_accessible(page)
    form = page.locator(".newsletter-aside form")

    fill_and_subscribe(page, form, "not-an-address")
    expect(form.locator("[data-error-for=email]")).to_have_text(
        re.compile("Please enter a correct email address")
    )
    # Nothing is ticked for the reader: consent is theirs to give.
    expect(form.locator("[data-error-for=newsletter]")).to_have_text(
        "Choose at least one newsletter."
    )
    expect(form.get_by_label("Enter your email to subscribe")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(form.get_by_label("Enter your email to subscribe")).to_be_focused()
    consent = form.locator(".subscribe-form__consent")
    expect(consent).to_contain_text("Subscribe to the newsletters you tick.")
    form.get_by_label(re.compile("The Morning Briefing")).check()
    expect(consent).to_contain_text("Subscribe to The Morning Briefing. We will email you")
    form.get_by_label(re.compile("Weekend Reads")).check()
    expect(consent).to_contain_text("Subscribe to The Morning Briefing and Weekend Reads.")
    form.get_by_label(re.compile("Weekend Reads")).uncheck()
    expect(consent).to_contain_text("Subscribe to The Morning Briefing. We will email you")
    assert not Subscription.objects.exists()

    fill_and_subscribe(page, form, "reader@example.org")
    expect(form.get_by_role("status")).to_contain_text(
        "we have sent a confirmation email to reader@example.org"
    )
    expect(page).to_have_url(live_site.url + article.url)  # answered in place
    assert_accessible(page)

    run_tasks()
    sign_in(page, live_site)
    page.goto(live_site.url + "/admin/outbox/")
    page.get_by_role("link", name=re.compile("Confirm your subscription")).click()
    expect(page.locator("iframe.mailcatcher-html")).to_be_visible()
    page.locator(".mailcatcher-text").get_by_role(
        "link", name=re.compile(r"newsletters.confirm")
    ).click()

    expect(page.get_by_role("heading", name="Confirm your subscription")).to_be_visible()
    assert_accessible(page)
    assert list(Subscription.objects.values_list("newsletter__slug", "status")) == [
        ("morning-briefing", "pending")
    ]
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    assert Subscription.objects.get().status == "confirmed"

    page.get_by_role("link", name="Manage your newsletters").click()
    expect(page.get_by_role("heading", name="Your newsletters")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe from all").click()
    expect(page.get_by_role("status")).to_contain_text(
        "You have unsubscribed from all our newsletters"
    )
    assert set(Subscription.objects.values_list("status", flat=True)) == {"unsubscribed"}


def test_a_reader_subscribes_without_javascript(
    article, live_site, browser, run_tasks, mail_catcher
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_site.url + "/newsletters/", timeout=60_000)
    form = page.locator(".newsletters-page form[data-subscribe-form]")
    expect(form.locator(".subscribe-form__consent")).to_contain_text(
        "Subscribe to the newsletters you tick."
    )
    form.get_by_label(re.compile("The Morning Briefing")).check()

    fill_and_subscribe(page, form, "Reader <reader@example.org>")
    expect(page).to_have_url(live_site.url + "/newsletters/subscribe/")
    field = page.get_by_label("Enter your email to subscribe")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby")
    expect(page.locator(f"#{described}")).to_contain_text("without a name or angle brackets")
    assert not Subscription.objects.exists()

    # The form comes back for what was ticked, and names it.
    form = page.locator("form[data-subscribe-form]")
    expect(form.locator(".subscribe-form__about")).to_contain_text("The Morning Briefing")
    expect(form.locator(".subscribe-form__consent")).to_contain_text(
        "Subscribe to The Morning Briefing."
    )
    fill_and_subscribe(page, form, "reader@example.org")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "we have sent a confirmation email to reader@example.org"
    )
    run_tasks()
    [message] = mail_catcher()
    assert message.header("To") == "reader@example.org"
    assert Subscription.objects.get().status == "pending"
    context.close()


def test_the_plain_form_pages_pass_axe(article, live_site, page, assert_accessible):
    # axe itself needs JavaScript, so here only the pages' own script is kept from loading.
    page.route("**/newsdesk/js/bundle*.js", lambda route: route.abort())
    page.goto(live_site.url + "/newsletters/", timeout=60_000)
    assert_accessible(page)
    form = page.locator(".newsletters-page form[data-subscribe-form]")
    form.get_by_label(re.compile("Weekend Reads")).check()
    fill_and_subscribe(page, form, "two@example.org three@example.org")
    expect(page).to_have_url(live_site.url + "/newsletters/subscribe/")
    expect(page.locator(".subscribe-form__error").first).to_contain_text(
        "Enter one email address only."
    )
    assert_accessible(page)
