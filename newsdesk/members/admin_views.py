from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.auth import permission_required

from newsdesk.members import accounts
from newsdesk.members.forms import GrantForm

GRANT_PERMISSION = "members.add_membership"


def end_of_day(day):
    """A membership granted "until" a day runs through that day, in the newsroom's time zone."""
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


@permission_required(GRANT_PERMISSION)
def grant(request):
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = end_of_day(form.cleaned_data["until"])
        if until is not None and until <= timezone.now():
            form.add_error("until", "Choose a day from today on.")
        else:
            membership = accounts.grant_membership(
                form.cleaned_data["email"], form.cleaned_data["tier"], until, user=request.user
            )
            messages.success(
                request, f"{membership.member.email} now has {membership.tier.name}, complimentary."
            )
            return redirect("wagtailsnippets_members_member:list")
    return TemplateResponse(
        request, "members/admin/grant.html", {"form": form}, status=400 if form.errors else 200
    )
