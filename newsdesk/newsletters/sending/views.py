"""The admin pages of one issue: preview, test, send or schedule, and the send's progress and controls."""

from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from newsdesk.core import humanise
from newsdesk.newsletters import audience
from newsdesk.newsletters.models import Issue
from newsdesk.newsletters.sending import issues, sends


class ScheduleForm(forms.Form):
    # The time shares its form with "Send now", which must not wait for one.
    use_required_attribute = False

    at = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


def _issue(request, pk, permission="change_issue"):
    if not request.user.has_perm(f"newsletters.{permission}"):
        raise PermissionDenied
    return get_object_or_404(Issue.objects.select_related("newsletter__host"), pk=pk)


def send_page(request, pk):
    issue = _issue(request, pk)
    size = sends.audience_size(issue.newsletter)
    can_send = request.user.has_perm("newsletters.send_issue")
    context = {
        "issue": issue,
        "page_title": f"Send: {issue.subject}",
        "header_icon": "mail",
        "progress": sends.progress(issue) if issue.started_at else None,
        "schedule_form": ScheduleForm(),
        "can_send": can_send,
        "audience": size,
        "audience_count": humanise.count(size, "subscriber"),
        "restricted": audience.audience_of(issue.newsletter_id),
        "confirming": can_send and request.GET.get("confirm") == "send",
        "time_zone": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, "newsletters/admin/send.html", context)


@xframe_options_sameorigin
def preview(request, pk):
    """The email as readers will see it; sandboxed, as it is mail markup and not the admin's own."""
    issue = _issue(request, pk)
    # Once sending, what was sent; before, what would be.
    html = (
        issues.without_personal_links(issue.email_html)
        if issue.email_html
        else issues.render_sample(issue)[0]
    )
    response = HttpResponse(html)
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'"
    )
    return response


def progress(request, pk):
    issue = _issue(request, pk)
    return JsonResponse(
        {**asdict(sends.progress(issue)), "status_label": Issue.Status(issue.status).label}
    )


@require_POST
def send_test(request, pk):
    issue = _issue(request, pk)
    if not request.user.email:
        messages.error(
            request, "Your account has no email address: add one under Account to receive tests."
        )
    else:
        sends.send_test(issue, request.user)
        messages.success(request, f"A test of this issue is on its way to {request.user.email}.")
    return redirect("newsletters_issue_send", pk=issue.pk)


ACTIONS = {
    "start": (sends.start, "Sending has started."),
    "pause": (sends.pause, "Sending is paused."),
    "resume": (sends.resume, "Sending has resumed."),
    "cancel": (sends.cancel, "Sending is cancelled; what had gone stays sent."),
    "unschedule": (sends.unschedule, "The issue is a draft again."),
}


@require_POST
def control(request, pk, action):
    if action != "schedule" and action not in ACTIONS:
        raise Http404("No such action.")
    issue = _issue(request, pk, "send_issue")
    try:
        if action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["at"])
            sends.schedule(issue, form.cleaned_data["at"], request.user)
            messages.success(request, "The issue is scheduled.")
        else:
            function, done = ACTIONS[action]
            function(issue, request.user)
            messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("newsletters_issue_send", pk=issue.pk)
