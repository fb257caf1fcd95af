"""What is read for an article, and how a long one is cut into parts, without synthesising it."""

import numpy as np
import pytest

from newsdesk.articles.models import ArticleCorrection
from newsdesk.narration import script as s
from newsdesk.narration import tasks, voices
from newsdesk.narration.models import Narration
from newsdesk.narration.tests.conftest import paragraphs

pytestmark = pytest.mark.django_db


def spoken(article, pronunciations=None):
    return [sentence.text for sentence in s.script(article, pronunciations or {})]


def test_an_article_is_read_in_order_without_page_furniture(publish_article, newsroom):
    other = publish_article("Another story")
    article = publish_article(
        "Trams return",
        bylines=[newsroom["reporter"], newsroom["desk"]],
        standfirst="The river crossing reopens",
        body=[
            {"type": "heading", "value": {"text": "What changed", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Cars returned at dawn.</p>"},
            {
                "type": "image",
                "value": {
                    "image": newsroom["image"].pk,
                    "caption": "The bridge.",
                    "credit": "Agency",
                },
            },
            {
                "type": "block_quote",
                "value": {
                    "quote": "It feels like the city again",
                    "attribution": "Oksana, a driver",
                },
            },
            {"type": "block_quote", "value": {"quote": "At last.", "attribution": ""}},
            {"type": "pull_quote", "value": {"text": "Cars returned at dawn"}},
            {"type": "related_story", "value": {"article": other.pk}},
        ],
    )
    ArticleCorrection.objects.create(page=article, text="An earlier version misnamed the bridge.")
    assert spoken(article) == [
        "Trams return.",
        "By Ira Test and News desk.",
        "The river crossing reopens.",
        "What changed.",
        "Cars returned at dawn.",
        "Oksana, a driver said, quote: It feels like the city again.",
        "End quote.",
        "Quote: At last.",
        "End quote.",
        "Correction: An earlier version misnamed the bridge.",
    ]


def test_sentences_pause_longer_at_the_end_of_a_passage(publish_article):
    article = publish_article("Trams", body=paragraphs("One. Two."))
    pauses = [sentence.pause for sentence in s.script(article, {})]
    assert pauses[-2:] == [s.SENTENCE_PAUSE, s.PASSAGE_PAUSE]


def test_urls_markup_emoji_and_other_scripts_are_said_sensibly_or_skipped(publish_article):
    article = publish_article(
        "Aid arrives 🚚",
        body=paragraphs(
            "Details at https://aid.example.org/list?id=4 &amp; <i>more</i> &lt;b&gt;soon&lt;/b&gt;.",
            "The sign read 欢迎 and Добро пожаловать, said the café owner in Kraków.",
        ),
    )
    assert spoken(article)[-2:] == [
        "Details at aid dot example dot org and more soon.",
        "The sign read and, said the café owner in Kraków.",
    ]


def test_checksum_changes_with_the_words_and_the_voice(publish_article):
    article = publish_article("Trams", body=paragraphs("One."))
    sentences = s.script(article, {})
    assert s.checksum(sentences, "a") == s.checksum(s.script(article, {}), "a")
    assert s.checksum(sentences, "a") != s.checksum(sentences, "b")
    assert s.checksum(sentences, "a") != s.checksum(s.script(article, {"One": "Won"}), "a")


TWENTY_THOUSAND_WORDS = paragraphs(*[" ".join(["The council met again today."] * 20)] * 200)


def test_a_20000_word_article_is_cut_into_parts_of_about_400_words(publish_article):
    article = publish_article("The long read", body=TWENTY_THOUSAND_WORDS)
    sentences = s.script(article, {})
    assert sum(sentence.words for sentence in sentences) > 20_000
    groups = s.parts(sentences)
    assert len(groups) == 51
    assert all(
        s.WORDS_PER_PART <= sum(x.words for x in group) < s.WORDS_PER_PART + 40
        for group in groups[:-1]
    )
    assert [x for group in groups for x in group] == sentences


class SilentVoice:
    """Stands in for piper: a tenth of a second of silence per sentence, so a long article is quick."""

    class config:
        sample_rate = 22050

    def synthesize(self, text):
        class Chunk:
            audio_int16_array = np.zeros(2205, dtype=np.int16)

        yield Chunk()


def test_a_20000_word_article_is_finished_with_progress_in_the_status(
    publish_article, run_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    progress = []

    def recording(write):
        def written(narration, *args, **fields):
            write(narration, *args, **fields)
            if "chunks_done" in fields:
                progress.append(Narration.objects.get(pk=narration.pk).status_text)

        return written

    monkeypatch.setattr(voices.Voice, "load", lambda self: SilentVoice())
    # The first write takes the narration; each part's is made only while the run still has it.
    monkeypatch.setattr(tasks, "_update", recording(tasks._update))
    monkeypatch.setattr(tasks, "_update_if_held", recording(tasks._update_if_held))
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article("The long read", body=TWENTY_THOUSAND_WORDS)
    run_tasks()
    narration = Narration.objects.get(pk=article.pk)
    assert narration.status == Narration.Status.READY
    assert (narration.chunks_done, narration.chunks_total) == (51, 51)
    assert progress[:2] == ["Narrating: part 1 of 51", "Narrating: part 2 of 51"]
    assert len(progress) == 52
    assert narration.duration > 1000 * 0.1  # every sentence made it into the audio


def test_a_gated_story_is_read_only_as_far_as_everyone_may_read_it(publish_article, monkeypatch):
    from newsdesk.core import access

    texts = [f"Paragraph number {n} is here." for n in range(1, 6)]
    article = publish_article("Gated", body=paragraphs(*texts))
    monkeypatch.setattr(access, "GATED", [lambda page: page.pk == article.pk])
    heard = " ".join(spoken(article))
    assert "Paragraph number three" in heard and "Paragraph number four" not in heard
