from django.template.response import TemplateResponse
from wagtail.admin.auth import permission_required

from newsdesk.support.revenue import revenue

REVENUE_PERMISSION = "support.view_revenue"


@permission_required(REVENUE_PERMISSION)
def revenue_page(request):
    return TemplateResponse(request, "support/admin/revenue.html", {"figures": revenue()})
