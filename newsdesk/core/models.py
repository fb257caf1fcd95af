import zoneinfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string

from newsdesk.core import brand

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
    logo = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Shown in the header, feeds and emails instead of the name. Its square crop "
            "(around the focal point) is the site's icon."
        ),
    )
    accent_colour = models.CharField(
        max_length=7,
        default=brand.DEFAULT_ACCENT,
        validators=[brand.validate_accent_colour],
        help_text=(
            "A hex colour such as #a3001b, for links, labels and buttons. White text on it "
            "must be readable (contrast of at least 4.5:1)."
        ),
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked as “About us” in the footer of every page.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Linked as “Contact” in the footer of every page."
    )
    facebook_url = models.URLField("Facebook", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    x_url = models.URLField("X", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    telegram_url = models.URLField("Telegram", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)

    SOCIAL_PROFILE_FIELDS = (
        "facebook_url",
        "instagram_url",
        "x_url",
        "youtube_url",
        "telegram_url",
        "mastodon_url",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("time_zone")], "Newsroom"
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("accent_colour")], "Look"),
        MultiFieldPanel(
            [
                FieldPanel("about_page"),
                FieldPanel("contact_email"),
                *(FieldPanel(field) for field in SOCIAL_PROFILE_FIELDS),
            ],
            "About and contact (the footer)",
        ),
        FieldPanel("feeds_full_text"),
    ]

    class Meta:
        verbose_name = "newsroom"

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def social_profiles(self):
        """(network, address) of each profile the newsroom gave, in the fields' order."""
        fields = (self._meta.get_field(name) for name in self.SOCIAL_PROFILE_FIELDS)
        return [
            (field.verbose_name, getattr(self, field.name))
            for field in fields
            if getattr(self, field.name)
        ]

    @property
    def accent_stylesheet_url(self):
        """The stylesheet setting the accent (core/brand.py); none for tokens.css' own."""
        colour = self.accent_colour.lower()
        if colour == brand.DEFAULT_ACCENT:
            return ""
        return reverse("brand_stylesheet", kwargs={"colour": colour.removeprefix("#")})


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
