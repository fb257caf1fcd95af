"""The admin's subscriber import (upload, preview, start, progress, report) and the Ghost members export."""

import csv

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_required

from newsdesk.newsletters.imports import exports, tasks
from newsdesk.newsletters.imports import importer as imports
from newsdesk.newsletters.models import Newsletter, SubscriberImport

IMPORT_PERMISSION = "newsletters.add_subscriberimport"
PREVIEW_ROWS = 5


class UploadForm(forms.Form):
    newsletter = forms.ModelChoiceField(
        Newsletter.objects.all(), help_text="The newsletter the readers are added to."
    )
    file = forms.FileField(
        label="Subscriber list",
        help_text="A CSV file: a Ghost members export, a Mailchimp audience export, a Substack subscribers "
        "export, or any CSV with an email column.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SUBSCRIBER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the largest accepted here is {filesizeformat(limit)}. "
                "Split it, or import it with `newsdesk import_subscribers`."
            )
        head = upload.read(4096)
        upload.seek(0)
        if b"\0" in head and not head.startswith(
            (b"\xff\xfe", b"\xfe\xff")
        ):  # UTF-16 text has zero bytes too
            raise forms.ValidationError(
                "This is not a CSV file. From a spreadsheet (Excel, Numbers), save or export the list as CSV first."
            )
        try:
            self.preview = imports.preview(upload)
        except imports.UnreadableFile as error:
            raise forms.ValidationError(str(error)) from error
        upload.seek(0)
        return upload


class StartForm(forms.Form):
    status = forms.ChoiceField(
        label="Import the addresses as",
        widget=forms.RadioSelect,
        initial="pending",
        choices=[
            (
                "pending",
                "Pending: they are sent nothing until they confirm, through a confirmation campaign",
            ),
            (
                "confirmed",
                "Confirmed: they agreed to receive the newsletter elsewhere, as I state below",
            ),
        ],
    )
    consent_source = forms.CharField(
        label="Where and how they agreed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Required for confirmed addresses, e.g. "Ghost signup form, 2019–2025". '
        "Kept in each reader's consent record, with the file's name and the time.",
    )

    def clean(self):
        data = super().clean()
        data["consent_source"] = data.get("consent_source", "").strip()
        if data.get("status") == "confirmed" and not data["consent_source"]:
            self.add_error(
                "consent_source", "Say where these readers agreed, to import them confirmed."
            )
        if data.get("status") == "pending":
            data["consent_source"] = ""
        return data


@permission_required(IMPORT_PERMISSION)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = SubscriberImport.objects.create(
            newsletter=form.cleaned_data["newsletter"],
            file=file,
            file_name=file.name[:255],
            format=form.preview.format.name,
            created_by=request.user,
        )
        return redirect("subscriber_import:detail", upload.pk)
    recent = SubscriberImport.objects.select_related("newsletter", "created_by")[:20]
    context = {"form": form, "imports": recent}
    return TemplateResponse(
        request, "newsletters/admin/import_upload.html", context, status=400 if form.errors else 200
    )


@permission_required(IMPORT_PERMISSION)
def detail(request, pk):
    """Before the start: the preview and the start form. After: the progress, then the report."""
    upload = get_object_or_404(SubscriberImport.objects.select_related("newsletter"), pk=pk)
    form = StartForm(request.POST or None)
    if upload.status != SubscriberImport.Status.UPLOADED:
        context = {"upload": upload, "report": imports.Report.of(upload)}
        return TemplateResponse(request, "newsletters/admin/import_progress.html", context)
    if request.method == "POST" and form.is_valid():
        tasks.start_import(upload, form.cleaned_data["consent_source"])
        return redirect("subscriber_import:detail", upload.pk)
    with upload.file.open("rb") as stream:
        preview = imports.preview(stream, rows=PREVIEW_ROWS)
    context = {"upload": upload, "preview": preview, "form": form}
    return TemplateResponse(
        request,
        "newsletters/admin/import_preview.html",
        context,
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required(IMPORT_PERMISSION)
def progress(request, pk):
    """What the progress page's script polls."""
    upload = get_object_or_404(SubscriberImport, pk=pk)
    return JsonResponse(
        {
            "status": upload.status,
            "status_text": upload.get_status_display(),
            "percent": round(upload.progress * 100),
            "rows_read": upload.rows_read,
            "finished": upload.finished,
        }
    )


def can_export(user):
    return user.has_perm("newsletters.view_subscription") or user.has_perm(
        "newsletters.delete_subscription"
    )


class _Echo:
    def write(self, value):
        return value


@require_GET
def ghost_export(request, newsletter_id):
    """A newsletter's subscribers in Ghost's members CSV layout, which Ghost and this import both read."""
    # Whoever may see the subscriber list (Subscribers in the admin) may take it away.
    if not can_export(request.user):
        raise PermissionDenied
    newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in exports.export_ghost_members(newsletter, request.user))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{newsletter.slug}-ghost-members.csv"'
    return response
