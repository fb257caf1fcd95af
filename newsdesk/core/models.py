import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting):
    """Who the newsroom is and where it is, as editors set it in the admin."""

    name = models.CharField(max_length=100, default="newsdesk")
    tagline = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text="Publication times are shown to readers in this time zone.",
    )
    feeds_full_text = models.BooleanField(
        "full text in feeds",
        default=False,
        help_text="Give feed readers each story's whole text rather than its standfirst.",
    )

    class Meta:
        verbose_name = "newsroom"

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class PeriodicJobRun(models.Model):
    """One row per job and minute: the unique key lets only one worker run it."""

    job = models.CharField(max_length=100)
    period = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")
        ]

    def __str__(self):
        return f"{self.job} at {self.period:%Y-%m-%d %H:%M}"


class RateCounter(models.Model):
    """Hits counted in a fixed window (core/ratelimits.py) where no cache can evict them."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class UploadedJob(models.Model):
    """What an editor's upload that the task worker then works through records (a subscriber
    list, a content export): who started it, when it ran, and why it failed."""

    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]
