from django.urls import path
from wagtail import hooks

from newsdesk.articles import admin_views
from newsdesk.articles.models import ArticlePage, SectionPage


@hooks.register("register_admin_urls")
def editor_desk_urls():
    return [
        path(
            "articles/images/<id:pk>/facts/",
            admin_views.image_facts,
            name="articles_image_facts",
        )
    ]


@hooks.register("construct_page_action_menu")
def publish_first_for_stories(menu_items, request, context):
    """A story's main button is Publish (which opens the publish dialog), not Save draft."""
    page, parent = context.get("page"), context.get("parent_page")
    new_story = context.get("view") == "create" and isinstance(parent.specific, SectionPage)
    if not (isinstance(page, ArticlePage) or new_story):
        return
    publish = [item for item in menu_items if item.name == "action-publish"]
    if publish:
        menu_items.remove(publish[0])
        menu_items.insert(0, publish[0])
