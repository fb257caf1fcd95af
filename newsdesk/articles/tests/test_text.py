from wagtail.blocks import StreamValue

from newsdesk.articles.blocks import ArticleBodyBlock
from newsdesk.articles.text import Passage, body_passages, reading_minutes, word_count


def stream(*blocks):
    return StreamValue(
        ArticleBodyBlock(), [{"type": t, "value": v} for t, v in blocks], is_lazy=True
    )


def test_passages_keep_reading_order_and_leave_out_page_furniture():
    body = stream(
        ("heading", {"text": "The vote", "level": "h2"}),
        ("paragraph", "<p>Councillors <b>voted</b> 31 to 9 &amp; went home.</p>"),
        ("pull_quote", {"text": "A line repeated from the story"}),
        ("block_quote", {"quote": "We will  rebuild\nit.", "attribution": "Mayor Test"}),
        ("image", {"image": None, "caption": "A caption nobody reads aloud", "credit": "X / Y"}),
        ("related_story", {"article": None}),
    )
    assert list(body_passages(body)) == [
        Passage("heading", "The vote"),
        Passage("paragraph", "Councillors voted 31 to 9 & went home."),
        Passage("quote", "We will rebuild it.", "Mayor Test"),
    ]


def test_word_count_counts_quotes_and_their_attribution():
    passages = [Passage("paragraph", "one two three"), Passage("quote", "four five", "Six Seven")]
    assert word_count(passages) == 7


def test_reading_minutes_round_up_and_nothing_for_an_empty_body():
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2
    assert reading_minutes(690) == 3
