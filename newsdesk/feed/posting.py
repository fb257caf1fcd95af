"""Posting to the news feed from the dashboard: the same create-and-publish a news item gets in
its own editor, recorded in Wagtail's audit log as the acting editor's."""

from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Page

from newsdesk.feed.models import NewsItem

POST_PERMISSIONS = ("feed.add_newsitem", "feed.publish_newsitem")


def may_post(user: AbstractBaseUser) -> bool:
    return user.has_perms(POST_PERMISSIONS)


class QuickPostForm(forms.ModelForm):
    """Headline, text and, optionally, the address of the story it points to."""

    link = forms.CharField(
        required=False,
        max_length=500,
        label="Link to a story",
        help_text="Optional: the address of a published story on this site.",
    )

    class Meta:
        model = NewsItem
        fields = ["headline", "summary"]
        labels = {"summary": "Text"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_link(self):
        address = self.cleaned_data["link"].strip()
        if not address:
            return None
        story_model = NewsItem._meta.get_field("article").related_model
        page = Page.find_for_request(self.request, urlsplit(address).path or "/")
        if page is None or not page.live or not issubclass(page.specific_class, story_model):
            raise forms.ValidationError("No published story on this site has that address.")
        return page.specific


def post_news_item(form: QuickPostForm, user: AbstractBaseUser) -> NewsItem:
    """Creates the item and publishes it at once, as "Publish" in its editor does."""
    with transaction.atomic():
        item = form.save(commit=False)
        item.article = form.cleaned_data["link"]
        item.live = False
        item.save()
        log(item, "wagtail.create", user=user)
        item.save_revision(user=user).publish(user=user)
    return item
