"""The admin's narration pages: every article's status, its switch and language, and "Narrate again"."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from newsdesk.articles.models import ArticlePage
from newsdesk.narration import workflows
from newsdesk.narration.models import Narration

PER_PAGE = 50


class NarrationForm(forms.ModelForm):
    class Meta:
        model = Narration
        fields = ["enabled", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's callable default would make Django compare with a hidden
        # initial value; the instance's own value is what an edit changes.
        self.fields["language"].show_hidden_initial = False

    def clean_language(self):
        language = self.cleaned_data["language"].strip()
        if not language.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError('Give a language tag such as "en", "en-GB" or "uk".')
        return language


def _article_for(user, page_id):
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not article.permissions_for_user(user).can_publish():
        raise PermissionDenied
    return article


def index(request):
    articles = (
        ArticlePage.objects.live()
        .select_related("narration")
        .order_by("-first_published_at", "-pk")
    )
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "narration/admin/index.html", {"articles": page})


def edit(request, page_id):
    article = _article_for(request.user, page_id)
    narration, _ = Narration.objects.get_or_create(page=article)
    form = NarrationForm(request.POST or None, instance=narration)
    if request.method == "POST" and form.is_valid():
        workflows.change_narration(article, form, request.user)
        messages.success(request, f"Narration settings of “{article.title}” saved.")
        return redirect("narration_admin_edit", page_id=article.pk)
    return TemplateResponse(
        request,
        "narration/admin/edit.html",
        {"article": article, "narration": narration, "form": form},
    )


@require_POST
def narrate_again(request, page_id):
    article = _article_for(request.user, page_id)
    try:
        workflows.renarrate(article, request.user)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{article.title}” will be narrated again.")
    return redirect("narration_admin_edit", page_id=article.pk)
