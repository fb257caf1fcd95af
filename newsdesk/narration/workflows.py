"""What editors do to narration, each recorded in Wagtail's audit log with who did it.

The actions are registered with their labels in wagtail_hooks.py, so they read
plainly in the page's history and the site history report.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelForm
from wagtail.log_actions import log

from newsdesk.articles.models import ArticlePage
from newsdesk.narration.models import Narration, Pronunciation
from newsdesk.narration.tasks import request_narration
from newsdesk.narration.voices import voice_installed

RENARRATE = "narration.renarrate"
CHANGE = "narration.change"
ADD_PRONUNCIATION = "narration.pronunciation.add"
CHANGE_PRONUNCIATION = "narration.pronunciation.change"
REMOVE_PRONUNCIATION = "narration.pronunciation.remove"


def renarrate(article: ArticlePage, user: AbstractBaseUser) -> None:
    """Narrates a published article again now, even if what would be heard is unchanged."""
    if not article.live:
        raise ValidationError("Only a published article can be narrated.")
    if not voice_installed():
        raise ValidationError("No voice is installed, so nothing can be narrated.")
    with transaction.atomic():
        request_narration(article, force=True)
        log(article, RENARRATE, user=user)


def change_narration(
    article: ArticlePage, form: ModelForm, user: AbstractBaseUser
) -> Narration | None:
    """Saves an article's narration switch and language; a change narrates the article anew."""
    if not form.has_changed():
        return None
    with transaction.atomic():
        narration = form.save()
        log(
            article,
            CHANGE,
            user=user,
            data={"enabled": narration.enabled, "language": narration.language},
        )
        if article.live:
            # Turning narration off removes the audio; on, or a new language, narrates anew.
            request_narration(article)
    return narration


def _pronunciation_data(pronunciation: Pronunciation) -> dict:
    return {"word": pronunciation.word, "say_as": pronunciation.say_as}


def add_pronunciation(form: ModelForm, user: AbstractBaseUser) -> Pronunciation:
    with transaction.atomic():
        pronunciation = form.save()
        log(pronunciation, ADD_PRONUNCIATION, user=user, data=_pronunciation_data(pronunciation))
    return pronunciation


def change_pronunciation(form: ModelForm, user: AbstractBaseUser) -> Pronunciation:
    with transaction.atomic():
        pronunciation = form.save()
        log(
            pronunciation,
            CHANGE_PRONUNCIATION,
            user=user,
            data=_pronunciation_data(pronunciation),
            content_changed=form.has_changed(),
        )
    return pronunciation


def remove_pronunciation(pronunciation: Pronunciation, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        # Logged first, while the row still has its id for the history.
        log(
            pronunciation,
            REMOVE_PRONUNCIATION,
            user=user,
            data=_pronunciation_data(pronunciation),
            deleted=True,
        )
        pronunciation.delete()
