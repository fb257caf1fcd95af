"""What is read aloud for an article, in order, normalised and cut into sentences and parts.

Headline, byline, standfirst, the body (headings, paragraphs, quotes said as
quotes), then the corrections. Never captions, credits, cards or pull quotes:
`body_passages` leaves them out, as it does for feeds and reading time.
"""

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.text import body_passages
from newsdesk.core.access import open_body
from newsdesk.narration.normalise import normalise, respell, sentences

# Words per part of a long narration: each part is synthesised, encoded and
# reported as progress before the next starts (about 2 to 3 minutes of audio).
WORDS_PER_PART = 400
SENTENCE_PAUSE = 0.25  # seconds of silence after each sentence
PASSAGE_PAUSE = 0.6  # ... and after a headline, a paragraph, a quote


@dataclass(frozen=True)
class Sentence:
    text: str  # the normalised words, as the captions show them
    said: str  # what the voice is given: the text with the newsroom's pronunciations
    pause: float  # silence after it, in seconds

    @property
    def words(self) -> int:
        return len(self.text.split())


def passages(article: ArticlePage) -> Iterator[tuple[bool, str]]:
    """The article's readable passages as written, before normalisation: (in the body?, text)."""
    yield False, article.title
    names = [contributor.name for contributor in article.contributors]
    if names:
        yield (
            False,
            "By "
            + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
            + ".",
        )
    if article.standfirst:
        yield False, article.standfirst
    # The audio is public: a gated story is read as far as everyone may read it.
    for passage in body_passages(open_body(article)):
        if passage.kind == "quote":
            # Said so that a listener hears where the quote starts and ends.
            speaker = f"{passage.attribution} said, quote: " if passage.attribution else "Quote: "
            yield True, f"{speaker}{_ended(passage.text)} End quote."
        else:
            yield True, passage.text
    for correction in article.corrections.all():
        yield False, f"Correction: {correction.text}"


def _ended(text):
    """A passage without closing punctuation (a headline) still ends its sentence."""
    return text if not text or text[-1] in '.!?…"”’)' else text + "."


def script(article: ArticlePage, pronunciations: Mapping[str, str]) -> list[Sentence]:
    """The sentences the voice reads, or [] when the body has nothing to read.

    A headline alone is no episode: an article whose body has no words that
    can be said (no body, only pictures, only emoji) has nothing to read.
    """
    said, body_said = [], False
    for in_body, passage in passages(article):
        spoken = sentences(normalise(passage))
        body_said = body_said or (in_body and bool(spoken))
        for position, sentence in enumerate(spoken):
            text = _ended(sentence)
            pause = PASSAGE_PAUSE if position == len(spoken) - 1 else SENTENCE_PAUSE
            said.append(Sentence(text=text, said=respell(text, pronunciations), pause=pause))
    return said if body_said else []


def parts(
    sentences_: Iterable[Sentence], words_per_part: int = WORDS_PER_PART
) -> list[list[Sentence]]:
    """Consecutive sentences grouped into parts of about `words_per_part` words."""
    grouped, current, words = [], [], 0
    for sentence in sentences_:
        current.append(sentence)
        words += sentence.words
        if words >= words_per_part:
            grouped.append(current)
            current, words = [], 0
    if current:
        grouped.append(current)
    return grouped


def checksum(sentences_: Iterable[Sentence], voice_name: str) -> str:
    """Changes whenever what would be heard changes: the words, the pauses or the voice."""
    digest = hashlib.sha256(voice_name.encode())
    for sentence in sentences_:
        digest.update(f"\n{sentence.said}\t{sentence.pause}".encode())
    return digest.hexdigest()
