from wagtail import hooks

from newsdesk.core.pagecache import add_tags


@hooks.register("before_serve_page")
def tag_served_page(page, request, serve_args, serve_kwargs):
    # Pages of the tree show the editors' picks beside them (core/rail.html).
    add_tags(request, f"page:{page.pk}", "picks")
