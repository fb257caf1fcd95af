"""Narration speed: newsdesk's real path against the bare piper voice, same text, same run.

    .venv/bin/python bench/narration/run.py [--words 600]

Builds a demo article of about 600 words from the demo newsroom's stories in
a throwaway data folder, then times
  1. newsdesk: script, normalisation, synthesis, captions, MP3 encoding and
     storage (tasks.narrate, as the worker runs it), and
  2. bare piper: the same body text, unnormalised, to a WAV file,
each after one warm-up so neither pays for loading the model. It prints the
seconds of work, seconds of audio, real-time factor (work / audio) and the
ratio of the two, and the peak memory of the process.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo_paragraphs(words):
    content = json.loads((ROOT / "newsdesk/demo/content.json").read_text())
    paragraphs, count = [], 0
    for article in content["articles"]:
        for block in article["body"]:
            if block["type"] == "paragraph" and count < words:
                paragraphs.append(block["value"])
                count += len(block["value"].split())
    return paragraphs


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=600)
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-narration-")
    os.environ["NEWSDESK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from newsdesk.articles.models import ArticlePage, SectionPage
    from newsdesk.articles.text import body_passages
    from newsdesk.home.models import HomePage
    from newsdesk.narration.models import Narration
    from newsdesk.narration.tasks import narrate
    from newsdesk.narration.voices import voice_for

    home = HomePage.objects.get()
    section = home.add_child(instance=SectionPage(title="City", slug="city"))
    body = [{"type": "paragraph", "value": p} for p in demo_paragraphs(options.words)]
    article = section.add_child(
        instance=ArticlePage(title="Council passes a repairs-first budget", body=body)
    )
    article.save_revision().publish()  # queues a task that this script never runs
    narration = Narration.objects.get(pk=article.pk)
    text = "\n".join(passage.text for passage in body_passages(article.body))
    words = len(text.split())

    voice = voice_for("en")
    piper = voice.load()
    list(piper.synthesize("Warming up."))
    print(
        f"{words} words of body text; voice {voice.name}; loaded model, peak {peak_mib():.0f} MiB"
    )

    started = time.perf_counter()
    narrate(narration, article, force=True)
    newsdesk_seconds = time.perf_counter() - started
    narration.refresh_from_db()
    newsdesk_rtf = newsdesk_seconds / narration.duration
    print(
        f"newsdesk: {newsdesk_seconds:6.2f} s for {narration.duration:6.1f} s of audio, RTF {newsdesk_rtf:.3f}, "
        f"MP3 {narration.audio_bytes / 1024:.0f} KiB, peak {peak_mib():.0f} MiB"
    )

    started = time.perf_counter()
    with wave.open(str(Path(data_dir) / "bare.wav"), "wb") as wav:
        piper.synthesize_wav(text, wav)
    bare_seconds = time.perf_counter() - started
    with wave.open(str(Path(data_dir) / "bare.wav"), "rb") as wav:
        bare_audio = wav.getnframes() / wav.getframerate()
    bare_rtf = bare_seconds / bare_audio
    print(
        f"bare piper: {bare_seconds:6.2f} s for {bare_audio:6.1f} s of audio, RTF {bare_rtf:.3f}, peak {peak_mib():.0f} MiB"
    )
    print(
        f"ratio newsdesk / bare (RTF): {newsdesk_rtf / bare_rtf:.2f}; (wall time): {newsdesk_seconds / bare_seconds:.2f}"
    )


if __name__ == "__main__":
    main()
