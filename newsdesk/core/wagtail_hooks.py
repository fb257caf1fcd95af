from wagtail import hooks

from newsdesk.core.pagecache import PAGE_TAGS, add_tags, page_tag


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    add_tags(request, page_tag(page), *(tag for tags in PAGE_TAGS for tag in tags(page)))
