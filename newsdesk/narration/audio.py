"""Sentences to speech, MP3 and WebVTT captions.

Each sentence is synthesised on its own, so its cue is timed by the samples
the voice actually made for it, and the MP3 is encoded as it grows: a long
article never holds more than one part's audio in memory.
"""

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import lameenc
import numpy as np

from newsdesk.narration.script import Sentence

if TYPE_CHECKING:
    from piper import PiperVoice

BITRATE_KBPS = 64  # mono speech at 64 kbit/s plays in every browser and podcast app
MP3_QUALITY = (
    2  # LAME's "high quality" (0 best .. 9 fastest); encoding is a small share of the time
)


@dataclass
class Cue:
    start: float
    end: float
    text: str


@dataclass
class Recording:
    """An MP3 being written to a temporary file, with one caption cue per sentence."""

    sample_rate: int
    file: tempfile.SpooledTemporaryFile = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (handed to the caller, who stores and closes it)
    )
    samples: int = 0
    cues: list[Cue] = field(default_factory=list)

    def __post_init__(self):
        self.encoder = lameenc.Encoder()
        self.encoder.set_bit_rate(BITRATE_KBPS)
        self.encoder.set_in_sample_rate(self.sample_rate)
        self.encoder.set_channels(1)
        self.encoder.set_quality(MP3_QUALITY)

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate

    def add(self, pcm: np.ndarray, text: str | None = None) -> None:
        """Appends 16-bit mono samples; with text, they are one sentence's cue."""
        if text is not None:
            self.cues.append(Cue(self.duration, (self.samples + len(pcm)) / self.sample_rate, text))
        self.file.write(self.encoder.encode(pcm.tobytes()))
        self.samples += len(pcm)

    def silence(self, seconds: float) -> None:
        self.add(np.zeros(round(seconds * self.sample_rate), dtype=np.int16))

    def finish(self) -> tempfile.SpooledTemporaryFile:
        """The whole MP3, rewound for reading."""
        self.file.write(self.encoder.flush())
        self.file.seek(0)
        return self.file


def speak(voice: "PiperVoice", recording: Recording, sentences_: Iterable[Sentence]) -> None:
    """Synthesises sentences into the recording; a sentence the voice makes no sound for gets no cue."""
    for sentence in sentences_:
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(sentence.said)]
        if chunks:
            recording.add(np.concatenate(chunks), sentence.text)
            recording.silence(sentence.pause)


def _timestamp(seconds):
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file: one cue per sentence, its text escaped as the format asks."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(number), f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}", text, ""]
    return "\n".join(lines)
