"""The public archive of a newsletter's sent issues: the web version, without personal links."""

from django.shortcuts import get_object_or_404, render

from newsdesk.core.links import absolute_url
from newsdesk.newsletters.models import Issue, Newsletter
from newsdesk.newsletters.sending import issues


def archive(request, slug):
    newsletter = get_object_or_404(Newsletter.objects.select_related("host"), slug=slug)
    sent = newsletter.issues.filter(status=Issue.Status.SENT).order_by("-started_at")
    return render(
        request, "newsletters/archive/index.html", {"newsletter": newsletter, "issues": sent}
    )


def archive_issue(request, slug, pk):
    issue = get_object_or_404(
        Issue.objects.select_related("newsletter__host"),
        newsletter__slug=slug,
        pk=pk,
        status=Issue.Status.SENT,
    )
    context = issues.web_context(issue)
    context["canonical_url"] = absolute_url(issue.get_web_path())
    return render(request, "newsletters/archive/issue.html", context)
