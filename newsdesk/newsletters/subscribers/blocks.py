from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class NewsletterSignupBlock(blocks.StructBlock):
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
