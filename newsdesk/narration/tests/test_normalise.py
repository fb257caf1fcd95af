"""Each rule of the normaliser on its own, then the whole."""

import pytest

from newsdesk.narration import normalise as n


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (21, "twenty-one"),
        (105, "one hundred five"),
        (1200, "one thousand two hundred"),
        (2_000_003, "two million three"),
    ],
)
def test_cardinal(number, words):
    assert n.cardinal(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1, "first"),
        (2, "second"),
        (3, "third"),
        (12, "twelfth"),
        (21, "twenty-first"),
        (40, "fortieth"),
        (100, "one hundredth"),
        (1001, "one thousand first"),
    ],
)
def test_ordinal(number, words):
    assert n.ordinal(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1990, "nineteen ninety"),
        (2005, "two thousand five"),
        (2024, "twenty twenty-four"),
        (1800, "eighteen hundred"),
        (2000, "two thousand"),
        (1907, "nineteen oh seven"),
    ],
)
def test_years_are_said_as_years(number, words):
    assert n.year(number) == words


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<p>Cars <b>returned</b> at dawn.</p>", "Cars returned at dawn."),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Before<script>alert(1)</script> after", "Before  after"),
    ],
)
def test_stray_markup_is_dropped(text, said):
    assert n.strip_markup(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Read https://www.example.org/news/1?x=2.", "Read example dot org."),
        ("See http://data.city.gov.ua/path/ now", "See data dot city dot gov dot ua now"),
        ("Write to desk@example.org today", "Write to desk at example dot org today"),
    ],
)
def test_links_are_said_as_their_site(text, said):
    assert n.speak_links(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Good news 🎉👍 today", "Good news today"),
        ("He said 你好 twice", "He said twice"),
        ("Kraków café naïve", "Kraków café naïve"),
        ("Прямо зараз in Kyiv", "in Kyiv"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_emoji_and_other_scripts_are_skipped(text, said):
    assert " ".join(n.drop_unspeakable(text).split()) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("The U.N. and the U.S. met", "The UN and the US met"),
        ("NATO and the EU", "Nato and the EU"),
        ("the G7 and G20", "the G seven and G twenty"),
        ("Mr. Smith met Dr. Jones", "Mister Smith met Doctor Jones"),
        ("bread, milk, etc. and e.g. eggs", "bread, milk, et cetera and for example eggs"),
        ("No. 10 Downing", "number 10 Downing"),
        ("J.K. Rowling", "JK Rowling"),
        ("UNESCO, the FBI and the WHO", "Unesco, the FBI and the W H O"),
    ],
)
def test_news_abbreviations(text, said):
    assert n.expand_abbreviations(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("on Nov. 7", "on November seventh"),
        ("on Nov. 7, 2024, it", "on November seventh, twenty twenty-four, it"),
        ("Sept. 11", "September eleventh"),
        ("March 3rd", "March third"),
        ("on 7 March 2023", "on the seventh of March, twenty twenty-three"),
        ("in June 1990", "in June nineteen ninety"),
        ("in 1990 and since 2005", "in nineteen ninety and since two thousand five"),
        ("March on", "March on"),
    ],
)
def test_dates(text, said):
    assert n.speak_dates(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("at 8:50 a.m. today", "at eight fifty AM today"),
        ("at 8:05 p.m. Then", "at eight oh five PM. Then"),
        ("at 10 p.m.", "at ten PM."),
        ("at 10:00 AM", "at ten AM"),
        ("at 14:30", "at fourteen thirty"),
        ("at 9:00", "at nine o'clock"),
    ],
)
def test_times(text, said):
    assert n.speak_times(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("$1.2 million", "one point two million dollars"),
        ("£3bn", "three billion pounds"),
        ("€20m", "twenty million euros"),
        ("$5", "five dollars"),
        ("$1", "one dollar"),
        ("£3.50", "three pounds fifty"),
        ("$0.25", "twenty-five cents"),
        ("$1,200", "one thousand two hundred dollars"),
    ],
)
def test_money(text, said):
    assert n.speak_money(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("up 5%", "up five percent"),
        ("3.5 per cent", "three point five percent"),
        ("12.25%", "twelve point two five percent"),
    ],
)
def test_percentages(text, said):
    assert n.speak_percentages(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("5 km", "five kilometers"),
        ("1 km", "one kilometer"),
        ("30°C", "thirty degrees Celsius"),
        ("60 mph", "sixty miles an hour"),
        ("2.5kg", "two point five kilograms"),
        ("120 km/h", "one hundred twenty kilometers an hour"),
        ("400 MW", "four hundred megawatts"),
        ("the m6 road", "the m6 road"),
    ],
)
def test_units(text, said):
    assert n.speak_units(text) == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("the 21st day", "the twenty-first day"),
        ("1,200 people", "one thousand two hundred people"),
        ("3.5 times", "three point five times"),
        ("-3 degrees", "minus three degrees"),
        ("pages 10-12", "pages ten to twelve"),
        ("1,000,000", "one million"),
    ],
)
def test_numbers_and_ordinals(text, said):
    assert n.speak_numbers(text) == said


def test_tidy_collapses_what_the_rules_left():
    assert n.tidy("  Hello   ,  world  _*#  .  ") == "Hello, world."


def test_the_whole_normaliser_on_news_copy():
    copy = (
        "<p>On Nov. 7, the U.N. said at 8:50 a.m. that $1.2 million (5%) reached 1,200 families "
        "in the 3rd district, 40 km away 🚚. Details: https://example.org/aid.</p>"
    )
    assert n.normalise(copy) == (
        "On November seventh, the UN said at eight fifty AM that one point two million dollars "
        "(five percent) reached one thousand two hundred families in the third district, forty kilometers "
        "away. Details: example dot org."
    )


def test_pronunciations_apply_to_whole_words_in_any_case():
    rules = {"Kyiv": "Keev", "Zelenskyy": "Zeh-LEN-skee"}
    assert (
        n.respell("Kyiv, kyiv's, Kyivan. Zelenskyy.", rules)
        == "Keev, Keev's, Kyivan. Zeh-LEN-skee."
    )
    assert n.respell("Kyiv", {}) == "Kyiv"


def test_sentences_split_at_full_stops_and_long_ones_at_commas():
    assert n.sentences('He said "Yes." Then left. Why? Because!') == [
        'He said "Yes."',
        "Then left.",
        "Why?",
        "Because!",
    ]
    run_on = " ".join(["word,"] * 100)
    pieces = n.sentences(run_on, max_words=40)
    assert all(len(piece.split()) <= 40 for piece in pieces)
    assert sum(len(piece.split()) for piece in pieces) == 100
