"""An article's narration (its audio, captions and status) and the newsroom's pronunciation list."""

from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from newsdesk.narration.storage import narration_storage


def default_language():
    return settings.LANGUAGE_CODE


class Narration(models.Model):
    """One per article, made when it is first published; the article's language lives here."""

    class Status(models.TextChoices):
        NONE = "none", "Not narrated"
        QUEUED = "queued", "Queued"
        NARRATING = "narrating", "Narrating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EMPTY = "empty", "Nothing to read"
        NO_VOICE = "no_voice", "No voice"
        OFF = "off", "Narration off"

    page = models.OneToOneField(
        "articles.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="narration"
    )
    enabled = models.BooleanField(
        "narrate this article",
        default=True,
        help_text="Off: no audio is made and any audio is removed.",
    )
    language = models.CharField(
        max_length=35,
        default=default_language,
        help_text='The article\'s language, as a language tag: "en", "en-GB", "uk", "de".',
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NONE)
    reason = models.TextField(blank=True, help_text="Why the last narration failed.")
    chunks_done = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker narrating it last finished a part."
    )

    audio = models.FileField(
        upload_to="narration/", storage=narration_storage, blank=True, max_length=255
    )
    audio_bytes = models.PositiveBigIntegerField(default=0)
    captions = models.FileField(
        upload_to="narration/", storage=narration_storage, blank=True, max_length=255
    )
    duration = models.FloatField(default=0, help_text="Seconds.")
    voice = models.CharField(max_length=100, blank=True)
    checksum = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of what the voice was given."
    )
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "narration"

    def __str__(self):
        return f"Narration of {self.page}"

    @property
    def has_audio(self):
        return bool(self.enabled and self.audio)

    @property
    def audio_url(self):
        """The checked address of this version of the audio (narration/<page id>/<version>.mp3)."""
        version = PurePosixPath(self.audio.name).stem
        return reverse("narration_audio", kwargs={"page_id": self.pk, "version": version})

    @property
    def duration_delta(self):
        return timedelta(seconds=round(self.duration))

    @property
    def status_text(self):
        """The status as an editor reads it."""
        if self.status == self.Status.NO_VOICE:
            return f"No voice for {self.language}"
        if self.status == self.Status.NARRATING and self.chunks_total:
            return f"Narrating: part {self.chunks_done + 1} of {self.chunks_total}"
        if self.status == self.Status.FAILED:
            retry = (
                f" (trying again at {timezone.localtime(self.retry_at):%H:%M})"
                if self.retry_at
                else ""
            )
            return f"Failed: {self.reason}{retry}"
        return self.get_status_display()


class Pronunciation(index.Indexed, models.Model):
    """A word or name and how to say it, applied to every narration."""

    word = models.CharField(
        max_length=100, unique=True, help_text="As written in stories, e.g. Kyiv."
    )
    say_as = models.CharField(
        "say it as",
        max_length=200,
        help_text="Spelled as it sounds to an English reader, e.g. Keev. Captions keep the written word.",
    )

    panels = [FieldPanel("word"), FieldPanel("say_as")]
    search_fields = [index.SearchField("word"), index.AutocompleteField("word")]

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} → {self.say_as}"

    @classmethod
    def as_dict(cls):
        return dict(cls.objects.values_list("word", "say_as"))
