"""The public archive of a newsletter's sent issues: the web version, without personal links.

A newsletter for members only (audience.py) has no public archive: its issues are theirs.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from newsdesk.core.links import absolute_url
from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Issue, Newsletter
from newsdesk.newsletters.sending import issues


def _public(newsletter_id):
    if audience.audience_of(newsletter_id) is not None:
        raise Http404("This newsletter's issues are for its readers only.")


def archive(request, slug):
    newsletter = get_object_or_404(Newsletter.objects.select_related("host"), slug=slug)
    _public(newsletter.pk)
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
    _public(issue.newsletter_id)
    context = issues.web_context(issue)
    context["canonical_url"] = absolute_url(issue.get_web_path())
    return render(request, "newsletters/archive/issue.html", context)
