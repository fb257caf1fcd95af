"""The admin's content import: upload an export, see what it will make, start it, follow it, read the report."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.auth import permission_required

from newsdesk.content_import import detect, tasks
from newsdesk.content_import.models import ContentImport
from newsdesk.content_import.sources import UnreadableExport
from newsdesk.content_import.writer import Report

IMPORT_PERMISSION = "content_import.add_contentimport"
FORMATS = {"ghost": "Ghost", "wordpress": "WordPress", "substack": "Substack"}


@contextmanager
def _on_disk(upload: UploadedFile) -> Iterator[str]:
    """A path to the uploaded file: Django keeps a large one on disk already, a small one in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix[:8]) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        yield copy.name
    upload.seek(0)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text="A Ghost export (.json, Settings → Advanced → Import/Export), a WordPress export "
        "(.xml, Tools → Export) or a Substack export (.zip, Settings → Exports).",
    )
    site_url = forms.URLField(
        label="The old site's address",
        required=False,
        assume_scheme="https",
        help_text="Where its pictures are fetched from, e.g. https://news.example.org. Needed for Ghost "
        "when the site moves to a new address; WordPress and Substack exports name their own.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = settings.CONTENT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; the largest accepted here is "
                f"{filesizeformat(limit)}. Import it with `newsdesk import_content`."
            )
        try:
            with _on_disk(upload) as path:
                self.kind = detect.recognise(path)
        except UnreadableExport as error:
            raise forms.ValidationError(str(error)) from error
        return upload


@permission_required(IMPORT_PERMISSION)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        content_import = ContentImport.objects.create(
            file=file,
            file_name=Path(file.name).name[:255],
            format=FORMATS[form.kind],
            site_url=form.cleaned_data["site_url"].rstrip("/"),
            created_by=request.user,
        )
        tasks.read_upload(content_import)
        return redirect("content_import:detail", content_import.pk)
    context = {"form": form, "imports": ContentImport.objects.select_related("created_by")[:20]}
    return TemplateResponse(
        request, "content_import/admin/upload.html", context, status=400 if form.errors else 200
    )


@permission_required(IMPORT_PERMISSION)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Reading: its progress. Read: the preview and the start button. Then the progress, then the report."""
    content_import = get_object_or_404(ContentImport, pk=pk)
    if content_import.status == ContentImport.Status.READ:
        if request.method == "POST":
            tasks.start_import(content_import, request.user)
            return redirect("content_import:detail", content_import.pk)
        return TemplateResponse(
            request, "content_import/admin/preview.html", {"upload": content_import}
        )
    if request.method == "POST":  # started already, by this click or another editor's
        return redirect("content_import:detail", content_import.pk)
    report = Report.from_json(content_import.report) if content_import.report else None
    context = {"upload": content_import, "report": report}
    return TemplateResponse(request, "content_import/admin/progress.html", context)


@require_GET
@permission_required(IMPORT_PERMISSION)
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress page's script polls."""
    content_import = get_object_or_404(ContentImport, pk=pk)
    reading = content_import.status == ContentImport.Status.READING
    return JsonResponse(
        {
            "status": content_import.status,
            "status_text": content_import.get_status_display(),
            "percent": None if reading else round(content_import.progress * 100),
            "items_done": content_import.items_done,
            "finished": not content_import.working,
        }
    )
