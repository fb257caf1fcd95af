"""Narration in the task worker: queued when an article is published, retried with back-off on failure."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY

from newsdesk.articles.models import ArticlePage
from newsdesk.core.storage import private_storage
from newsdesk.narration.models import Narration, Pronunciation
from newsdesk.narration.script import checksum, parts, script
from newsdesk.narration.voices import voice_for, voice_installed

logger = logging.getLogger(__name__)
# What a person running the site hears about (`newsdesk run` shows this logger).
events = logging.getLogger("newsdesk.events")

MAX_ATTEMPTS = 4
FIRST_RETRY_AFTER = timedelta(minutes=1)  # then 4 and 16 minutes
# The worker narrating an article records each part it finishes (a part takes well under
# a minute); no sign of it for this long, and the worker is taken for dead.
LEASE = timedelta(minutes=5)
Status = Narration.Status

# The narrations of a newly published story go to the front of the queue (RQ honours
# only the highest priority, by queueing at the front); a backlog of stories published
# together (the demo) keeps the default, behind anything an editor publishes meanwhile.
PUBLISH_PRIORITY = TASK_MAX_PRIORITY
BACKLOG_PRIORITY = DEFAULT_TASK_PRIORITY

_backlog = ContextVar("narration_backlog", default=None)


@contextmanager
def narrations_as_backlog():
    """Narrations requested inside are queued at the end, newest story first, at the backlog's priority.

    For many stories published at once: readers see the newest first, and
    without this the oldest, published first, would be narrated first. The
    list it gives may be filled with stories to narrate before all others, in
    that order (the front page's).
    """
    requested = {}
    first = []
    token = _backlog.set(requested)
    try:
        yield first
    finally:
        _backlog.reset(token)
    newest_first = (
        ArticlePage.objects.filter(pk__in=requested)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)
    )
    leading = [pk for pk in dict.fromkeys(first) if pk in requested]
    backlog = narrate_article.using(priority=BACKLOG_PRIORITY)
    for page_id in [*leading, *(pk for pk in newest_first if pk not in leading)]:
        transaction.on_commit(lambda page_id=page_id: backlog.enqueue(page_id, requested[page_id]))


def request_narration(article, force=False):
    """Marks the article's narration queued and queues it once the publishing transaction commits.

    Publishing never waits for or fails because of narration: this only
    writes one row, and any error is logged, not raised. Without a voice
    installed nothing is queued: the article page and the admin say so.
    """
    if not voice_installed():
        return
    try:
        with transaction.atomic():
            narration, _ = Narration.objects.get_or_create(page_id=article.pk)
            Narration.objects.filter(pk=narration.pk).update(
                status=Status.QUEUED if narration.enabled else Status.OFF,
                reason="",
                attempts=0,
                retry_at=None,
                chunks_done=0,
                chunks_total=0,
                queued_at=timezone.now(),
            )
        backlog = _backlog.get()
        if backlog is None:
            transaction.on_commit(lambda: narrate_article.enqueue(article.pk, force))
        else:
            backlog[article.pk] = force or backlog.get(article.pk, False)
    except Exception:
        logger.exception("Could not queue the narration of article %s", article.pk)


def _update(narration, **fields):
    """Writes only these fields, so an editor's change to the switch or language is never overwritten."""
    Narration.objects.filter(pk=narration.pk).update(**fields)
    for name, value in fields.items():
        setattr(narration, name, value)


def _remove_audio(narration, status):
    old = [name for name in (narration.audio.name, narration.captions.name) if name]
    _update(
        narration,
        status=status,
        reason="",
        audio="",
        captions="",
        audio_bytes=0,
        duration=0,
        checksum="",
        retry_at=None,
    )
    for name in old:
        private_storage.delete(name)


class TakenOver(Exception):
    """Another run has the narration now: this one's worker was taken for dead, or the article was published again."""


def _update_if_held(narration, lease, **fields):
    """Writes these fields only while the run that took the narration at `lease` still has it."""
    held = Narration.objects.filter(pk=narration.pk, status=Status.NARRATING, heartbeat_at=lease)
    if not held.update(**fields):
        raise TakenOver
    for name, value in fields.items():
        setattr(narration, name, value)


@task(queue_name="narration", priority=PUBLISH_PRIORITY)
def narrate_article(page_id, force=False):
    """Narrates a published article unless what would be heard is unchanged (or `force`)."""
    narration = Narration.objects.filter(pk=page_id).first()
    article = ArticlePage.objects.live().filter(pk=page_id).first()
    if narration is None or article is None:
        return "not published"
    try:
        return narrate(narration, article, force)
    except TakenOver:
        return "taken over"
    except Exception as error:
        _failed(narration, error, force)
        raise


def narrate(narration, article, force=False):
    if not narration.enabled:
        _remove_audio(narration, Status.OFF)
        return Status.OFF
    voice = voice_for(narration.language)
    if voice is None:
        _remove_audio(narration, Status.NO_VOICE)
        return Status.NO_VOICE
    sentences = script(article, Pronunciation.as_dict())
    if not sentences:
        _remove_audio(narration, Status.EMPTY)
        return Status.EMPTY
    digest = checksum(sentences, voice.name)
    if digest == narration.checksum and narration.audio and not force:
        _update(narration, status=Status.READY, reason="", retry_at=None)
        return "unchanged"

    # Synthesis needs the narration extra, which a voice being found implies.
    from newsdesk.narration import audio

    groups = parts(sentences)
    lease = timezone.now()
    _update(
        narration,
        status=Status.NARRATING,
        chunks_done=0,
        chunks_total=len(groups),
        heartbeat_at=lease,
    )
    take_up_stalled_narration.using(run_after=lease + LEASE).enqueue(narration.pk, force)
    piper = voice.load()
    recording = audio.Recording(piper.config.sample_rate)
    for done, group in enumerate(groups, start=1):
        audio.speak(piper, recording, group)
        beat = timezone.now()
        _update_if_held(narration, lease, chunks_done=done, heartbeat_at=beat)
        lease = beat
    with recording.finish() as mp3:
        # A new name for every version, so no cache or CDN serves the old audio as new.
        audio_name = private_storage.save(f"narration/{article.pk}/{digest[:16]}.mp3", File(mp3))
    captions_name = private_storage.save(
        f"narration/{article.pk}/{digest[:16]}.vtt",
        ContentFile(audio.webvtt(recording.cues).encode("utf-8")),
    )
    old = {narration.audio.name, narration.captions.name} - {audio_name, captions_name, ""}
    try:
        _update_if_held(
            narration,
            lease,
            heartbeat_at=None,
            status=Status.READY,
            reason="",
            retry_at=None,
            audio=audio_name,
            captions=captions_name,
            audio_bytes=private_storage.size(audio_name),
            duration=recording.duration,
            voice=voice.name,
            checksum=digest,
            made_at=timezone.now(),
        )
    except TakenOver:
        # The run that has the narration now keeps its own audio; this run's goes.
        private_storage.delete(audio_name)
        private_storage.delete(captions_name)
        raise
    for name in old:
        private_storage.delete(name)
    events.info("Narrated “%s” (%d:%02d)", article.title, *divmod(round(recording.duration), 60))
    return Status.READY


@task(queue_name="default")
def take_up_stalled_narration(page_id, force=False):
    """Queues again a narration whose worker has given no sign of life for LEASE (killed, say).

    Queued as each narration starts, to run when its lease ends; while the
    worker is still on it, it looks again when the last part's lease ends.
    The update only succeeds for the run it saw, so the narration is queued
    again once, however many of these run.
    """
    narration = Narration.objects.filter(pk=page_id, status=Status.NARRATING).first()
    if narration is None or narration.heartbeat_at is None:
        return "not narrating"
    if narration.heartbeat_at > timezone.now() - LEASE:
        take_up_stalled_narration.using(run_after=narration.heartbeat_at + LEASE).enqueue(
            page_id, force
        )
        return "still narrating"
    stalled = Narration.objects.filter(
        pk=page_id, status=Status.NARRATING, heartbeat_at=narration.heartbeat_at
    )
    if not stalled.update(status=Status.QUEUED, heartbeat_at=None, queued_at=timezone.now()):
        return "not narrating"
    logger.warning(
        "The narration of article %s stalled at part %s of %s; queued again",
        page_id,
        narration.chunks_done + 1,
        narration.chunks_total,
    )
    narrate_article.enqueue(page_id, force)
    return "queued again"


def _failed(narration, error, force):
    attempts = narration.attempts + 1
    retry_at = (
        timezone.now() + FIRST_RETRY_AFTER * 4 ** (attempts - 1)
        if attempts < MAX_ATTEMPTS
        else None
    )
    logger.exception(
        "Narration of article %s failed (attempt %s of %s)", narration.pk, attempts, MAX_ATTEMPTS
    )
    _update(
        narration,
        status=Status.FAILED,
        reason=f"{type(error).__name__}: {error}"[:1000],
        attempts=attempts,
        retry_at=retry_at,
    )
    if retry_at:
        narrate_article.using(run_after=retry_at).enqueue(narration.pk, force)
