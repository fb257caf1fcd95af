from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from newsdesk.core.dashboard import without_wagtail_panels
from newsdesk.core.pagecache import PAGE_TAGS, add_tags, page_tag


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    add_tags(request, page_tag(page), *(tag for tags in PAGE_TAGS for tag in tags(page)))


@hooks.register("construct_homepage_panels")
def newsroom_dashboard(request, panels):
    without_wagtail_panels(panels)


@hooks.register("insert_global_admin_css")
def newsdesk_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("newsdesk/admin/admin.css"))
