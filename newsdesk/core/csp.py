"""The Content-Security-Policy (django-csp), with the admin's own.

Readers' pages run no inline script or style. Wagtail's admin still has inline
scripts and styles of its own, so under /admin/ those are allowed too; it is
used by signed-in staff only, and everything else in its policy is the same.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE}
        return parts
