"""The story editor's form: the headline as a newsroom writes it, the slug that follows it, one-step publishing."""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from newsdesk.articles.slugs import base_slug, free_slug, publishing_slug

HEADLINE_MAX_LENGTH = 255  # Wagtail's title column
# The publish dialog's time ("at a time"), read in the admin's current time zone. Not a field of the
# form: Wagtail renders a page form's fields outside its panels too, and that empty copy would win.
PUBLISH_AT = "publish_at"
PUBLISH_AT_FIELD = forms.DateTimeField(required=False, input_formats=["%Y-%m-%dT%H:%M"])


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        headline = self.fields["title"]
        headline.label, headline.help_text = "Headline", ""
        # Two lines that grow: a long headline is seen whole, never cut at the input's edge.
        headline.widget = forms.Textarea(
            attrs={
                "rows": 1,
                "maxlength": HEADLINE_MAX_LENGTH,
                "placeholder": "Headline*",
                "data-controller": "w-autosize",
                "data-editor-desk-target": "headline",
            }
        )

        if not self.instance.pk and not self.is_bound:
            # A new story starts with an empty paragraph to type into, not an empty list of blocks.
            body = self.fields["body"].block
            self.initial["body"] = body.to_python([{"type": "paragraph", "value": ""}])

    def clean_title(self):
        # A headline is one line, whatever was pasted into the box.
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        slug, headline = self.cleaned_data.get("slug"), self.cleaned_data.get("title")
        if slug and headline and self.parent_page is not None:
            self.cleaned_data["slug"] = self._unique_slug(slug, headline)
        self.publish_at_errors = []
        if "action-publish" in self.data:
            try:
                publish_at = PUBLISH_AT_FIELD.clean(self.data.get(PUBLISH_AT, ""))
            except forms.ValidationError as error:
                publish_at, self.publish_at_errors = None, error.messages
            if publish_at and publish_at <= timezone.now():
                self.publish_at_errors = ["Choose a time in the future, or publish now."]
            elif publish_at:
                self.cleaned_data["go_live_at"] = publish_at
            if self.publish_at_errors:
                self.add_error(None, " ".join(self.publish_at_errors))
        return super().clean()

    def _unique_slug(self, slug, headline):
        if self.instance.first_published_at or self.instance.live:
            # Readers know this address: it stays, only a clash with another story moves it on.
            return free_slug(slug, self.parent_page, self.instance)
        wanted = base_slug(slug, headline)
        if "action-publish" not in self.data:
            return free_slug(wanted, self.parent_page, self.instance)
        return publishing_slug(wanted, self.parent_page, self.instance)
