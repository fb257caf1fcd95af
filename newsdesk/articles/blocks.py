"""The blocks an article body is made of."""

from urllib.parse import urlsplit

from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from newsdesk.core.sanitise import sanitise_rich_text

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "ol",
    "ul",
    "superscript",
    "subscript",
    "strikethrough",
]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    def render_basic(self, value, context=None):
        return mark_safe(sanitise_rich_text(str(value)))

    class Meta:
        icon = "pilcrow"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2")

    class Meta:
        icon = "title"
        template = "articles/blocks/heading.html"


class BlockQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text='Who said it, e.g. "Name, role"')

    class Meta:
        icon = "openquote"
        template = "articles/blocks/block_quote.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="A short line from the story, set large.")

    class Meta:
        icon = "openquote"
        template = "articles/blocks/pull_quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False, help_text="Leave empty to use the caption from the image library."
    )
    credit = blocks.CharBlock(
        required=False, help_text="Leave empty to use the credit from the image library."
    )

    class Meta:
        icon = "image"
        template = "articles/blocks/figure.html"


class RelatedStoryBlock(blocks.StructBlock):
    article = blocks.PageChooserBlock(page_type="articles.ArticlePage")

    class Meta:
        icon = "link"
        label = "Related story card"
        template = "articles/blocks/related_story.html"


# The providers a reader recognises by name; any other is named by its host.
EMBED_PROVIDERS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "X",
    "x.com": "X",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "tiktok.com": "TikTok",
    "spotify.com": "Spotify",
    "soundcloud.com": "SoundCloud",
    "bsky.app": "Bluesky",
    "threads.net": "Threads",
    "datawrapper.de": "Datawrapper",
    "flourish.studio": "Flourish",
}


def embed_provider(url: str) -> str:
    host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
    for domain, name in EMBED_PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


class EmbedBlock(blocks.StructBlock):
    """Something published elsewhere (a video, a post, a chart), shown as a link card.

    No third-party frame or script: the site's Content-Security-Policy allows
    neither, and the reader's visit is not reported to the provider until they
    follow the link.
    """

    url = blocks.URLBlock(label="URL")
    caption = blocks.CharBlock(required=False, max_length=500)

    class Meta:
        icon = "media"
        label = "Embed (link card)"
        template = "articles/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["provider"] = embed_provider(value["url"])
        return context


class NewsletterSignupBlock(blocks.StructBlock):
    """A subscribe form in the body. The newsletters app, above this one, is named, not imported:
    its snippet, and its template, which renders the form."""

    heading = blocks.CharBlock(
        required=False, max_length=100, help_text='e.g. "Get the morning briefing"'
    )
    newsletters = blocks.ListBlock(
        SnippetChooserBlock("newsletters.Newsletter"),
        min_num=1,
        help_text="One newsletter, or several for the reader to choose from.",
    )

    class Meta:
        icon = "mail"
        label = "Newsletter signup"
        template = "newsletters/blocks/signup.html"


class SupportBlock(blocks.StructBlock):
    """A "Support our reporting" box in the body. The support app, above this one, is named, not
    imported: its campaign snippet, and its template, which renders the box."""

    heading = blocks.CharBlock(
        required=False, max_length=100, help_text='Empty: "Support our reporting".'
    )
    text = blocks.TextBlock(required=False, max_length=300)
    campaign = SnippetChooserBlock(
        "support.Campaign",
        required=False,
        help_text="The campaign whose meter it shows; empty: the running one, if any.",
    )

    class Meta:
        icon = "pick"
        label = "Support our reporting"
        template = "support/blocks/support.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    block_quote = BlockQuoteBlock()
    pull_quote = PullQuoteBlock()
    image = FigureBlock()
    related_story = RelatedStoryBlock()
    embed = EmbedBlock()
    newsletter_signup = NewsletterSignupBlock()
    support = SupportBlock()
