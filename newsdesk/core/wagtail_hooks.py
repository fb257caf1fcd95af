from wagtail import hooks

from newsdesk.core.pagecache import add_tags, page_tag


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    # Pages of the tree show the editors' picks beside them (core/rail.html).
    add_tags(request, page_tag(page), "picks")
