"""The configured piper voices (settings.NARRATION_VOICES), and each one loaded once per process.

A voice is an .onnx model and its .json config; the config names the
language it speaks ("en_US"), which is matched to an article's language tag.
piper and the MP3 encoder come with the narration extra (GPL, see LICENSE):
without it there is no voice, and the site says so instead of narrating.
"""

import importlib.util
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from piper import PiperVoice

_loaded = {}
_loading = threading.Lock()
NARRATION_EXTRA = ("piper", "lameenc", "numpy")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # ValueError: a module blocked as None in sys.modules
        return False


def voice_installed() -> bool:
    """True where the narration extra is installed and a voice configured; reads no file."""
    return bool(settings.NARRATION_VOICES) and all(map(_importable, NARRATION_EXTRA))


@dataclass(frozen=True)
class Voice:
    name: str
    model: str
    config: str
    language: str  # as the config names it, e.g. "en_US"

    def speaks(self, language: str) -> bool:
        """True if this voice speaks an article's language: "en" and "en-US" both match en_US."""
        wanted = language.replace("_", "-").lower()
        own = self.language.replace("_", "-").lower()
        return wanted == own or wanted == own.split("-")[0] or own == wanted.split("-")[0]

    def load(self) -> "PiperVoice":
        """The piper voice, loaded the first time this process needs it (about a second, 60 MB)."""
        with _loading:
            if self.name not in _loaded:
                from piper import PiperVoice

                _loaded[self.name] = PiperVoice.load(self.model, self.config)
            return _loaded[self.name]


@lru_cache(maxsize=8)
def _read_voices(paths: tuple[tuple[str, str], ...]) -> tuple[Voice, ...]:
    voices = []
    for model, config in paths:
        if not Path(model).is_file() or not Path(config).is_file():
            raise ImproperlyConfigured(
                f"Narration voice {model} needs its model and config ({config}); check NEWSDESK_VOICES."
            )
        language = (
            json.loads(Path(config).read_text(encoding="utf-8")).get("language", {}).get("code")
        )
        if not language:
            raise ImproperlyConfigured(
                f"Narration voice config {config} names no language (language.code)."
            )
        voices.append(
            Voice(
                name=Path(model).name.removesuffix(".onnx"),
                model=model,
                config=config,
                language=language,
            )
        )
    return tuple(voices)


def configured_voices() -> tuple[Voice, ...]:
    if not voice_installed():
        return ()
    return _read_voices(
        tuple((voice["model"], voice["config"]) for voice in settings.NARRATION_VOICES)
    )


def voice_for(language: str) -> Voice | None:
    """The first configured voice for the language, an exact match preferred; None if there is none."""
    voices = configured_voices()
    exact = [
        v
        for v in voices
        if v.language.replace("_", "-").lower() == language.replace("_", "-").lower()
    ]
    return (exact or [v for v in voices if v.speaks(language)] or [None])[0]
