"""News copy turned into words a voice says as an English-speaking newsreader would.

The voice (espeak-ng's phonemiser behind piper) reads plain words well but
stumbles on news copy: "Nov. 7" becomes two sentences, "$1.2 million" is read
"dollar one point two million", "U.N." ends a sentence, "你好" is read as
"Chinese letter". Every rule lives here, in order, each tested on its own
(tests/test_normalise.py). The result is also what the captions show, so it
stays readable: numbers become words, acronyms stay as capitals.

Editors' pronunciations ("Kyiv" → "Keev") are applied separately by
`respell`, only to what the voice is given: captions keep the real spelling.
"""

import html
import re
import unicodedata
from collections.abc import Mapping

from django.utils.html import strip_tags

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]
ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREVIATIONS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Sept": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}

# Said the way English speakers say them. Dotted forms would end a sentence
# for the phonemiser; capitals alone are spelled out letter by letter.
ABBREVIATIONS = {
    "U.N.": "UN",
    "U.S.": "US",
    "U.K.": "UK",
    "E.U.": "EU",
    "U.S.A.": "USA",
    "D.C.": "DC",
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Dr.": "Doctor",
    "Prof.": "Professor",
    "St.": "Saint",
    "Gen.": "General",
    "Lt.": "Lieutenant",
    "Col.": "Colonel",
    "Sgt.": "Sergeant",
    "Capt.": "Captain",
    "Gov.": "Governor",
    "Sen.": "Senator",
    "Rep.": "Representative",
    "Pres.": "President",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "vs.": "versus",
    "v.": "versus",
    "etc.": "et cetera",
    "e.g.": "for example",
    "i.e.": "that is",
    "approx.": "approximately",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Co.": "Company",
    "Corp.": "Corporation",
}
# Acronyms read as words; any other run of 2 to 5 capitals is spelled out.
ACRONYMS_AS_WORDS = {
    "NATO": "Nato",
    "UNESCO": "Unesco",
    "UNICEF": "Unicef",
    "NASA": "Nasa",
    "OPEC": "Opec",
    "ASEAN": "Asean",
    "FIFA": "Fifa",
    "UEFA": "Uefa",
    "COVID": "Covid",
    "AIDS": "Aids",
    "NAFTA": "Nafta",
    "OSCE": "O S C E",
    "IAEA": "I A E A",
    "WHO": "W H O",
    "OK": "okay",
}
CURRENCIES = {
    "$": ("dollar", "cents"),
    "£": ("pound", "pence"),
    "€": ("euro", "cents"),
    "¥": ("yen", ""),
}
MULTIPLIERS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "bn": "billion",
    "b": "billion",
    "tn": "trillion",
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
}
UNITS = {
    "km/h": "kilometers an hour",
    "kph": "kilometers an hour",
    "mph": "miles an hour",
    "km²": "square kilometers",
    "sq km": "square kilometers",
    "km": "kilometers",
    "cm": "centimeters",
    "mm": "millimeters",
    "m": "meters",
    "mi": "miles",
    "ft": "feet",
    "kg": "kilograms",
    "lbs": "pounds",
    "lb": "pounds",
    "ha": "hectares",
    "kWh": "kilowatt hours",
    "MW": "megawatts",
    "GW": "gigawatts",
    "kW": "kilowatts",
    "°C": "degrees Celsius",
    "°F": "degrees Fahrenheit",
    "ml": "milliliters",
    "l": "liters",
}
SINGULAR_UNITS = {
    "kilometers": "kilometer",
    "centimeters": "centimeter",
    "millimeters": "millimeter",
    "meters": "meter",
    "miles": "mile",
    "feet": "foot",
    "kilograms": "kilogram",
    "pounds": "pound",
    "hectares": "hectare",
    "kilowatt hours": "kilowatt hour",
    "megawatts": "megawatt",
    "gigawatts": "gigawatt",
    "kilowatts": "kilowatt",
    "degrees Celsius": "degree Celsius",
    "degrees Fahrenheit": "degree Fahrenheit",
    "milliliters": "milliliter",
    "liters": "liter",
    "square kilometers": "square kilometer",
}

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def cardinal(number: int) -> str:
    """An integer in words: 1203 → "one thousand two hundred three"."""
    if number < 0:
        return "minus " + cardinal(-number)
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{ONES[hundreds]} hundred" + (f" {cardinal(rest)}" if rest else "")
    for scale, name in SCALES:
        if number >= scale:
            high, rest = divmod(number, scale)
            return f"{cardinal(high)} {name}" + (f" {cardinal(rest)}" if rest else "")
    raise AssertionError("unreachable")  # every number ≥ 1000 meets a scale


def ordinal(number: int) -> str:
    """21 → "twenty-first", 100 → "one hundredth"."""
    words = cardinal(number)
    head, separator, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in ORDINAL_ENDINGS:
        last = ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + separator + last


def decimal(text: str) -> str:
    """'1,200' → one thousand two hundred; '3.05' → three point zero five."""
    whole, _, fraction = text.replace(",", "").partition(".")
    words = cardinal(int(whole))
    if fraction:
        words += " point " + " ".join(ONES[int(digit)] for digit in fraction)
    return words


def year(number: int) -> str:
    """As years are said: 1990 → nineteen ninety, 2005 → two thousand five, 2024 → twenty twenty-four."""
    high, low = divmod(number, 100)
    if number < 1100 or 2000 <= number < 2010 or (low == 0 and high % 10 == 0):
        return cardinal(number)
    if low == 0:
        return f"{cardinal(high)} hundred"
    return f"{cardinal(high)} {'oh ' + ONES[low] if low < 10 else cardinal(low)}"


def _sub(pattern, replace, text, flags=0):
    return re.sub(pattern, replace, text, flags=flags)


def strip_markup(text: str) -> str:
    """Stray HTML tags and entities: the words stay, the markup goes."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", text, flags=re.I | re.S)
    return html.unescape(strip_tags(text))


def speak_links(text: str) -> str:
    """Web and email addresses read as their site: "example dot org"."""

    def site(host):
        host = host.lower().removeprefix("www.")
        return " dot ".join(host.split("."))

    text = _sub(
        r"\b[\w.+-]+@([\w-]+(?:\.[\w-]+)+)\b",
        lambda m: f"{m.group(0).split('@')[0].replace('.', ' dot ')} at {site(m.group(1))}",
        text,
    )
    return _sub(
        r"\b(?:https?://|www\.)([\w-]+(?:\.[\w-]+)+)(?::\d+)?(?:/[^\s]*[^\s.,;:!?)\]'\"”’])?/?",
        lambda m: site(m.group(1)),
        text,
        re.I,
    )


def drop_unspeakable(text: str) -> str:
    """Emoji, symbols and letters of other scripts are skipped, not read out.

    An English voice would call each Chinese character "Chinese letter" and
    each emoji by its name; Latin letters with accents (café, Kraków) stay.
    """
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in CURRENCIES or char in "%°&²":
            kept.append(char)
        elif category[0] == "L":
            kept.append(char if "LATIN" in unicodedata.name(char, "") else " ")
        elif (
            category in {"So", "Sk", "Cs", "Co", "Cn", "Cf", "Mn", "Me", "Cc"}
            and not char.isspace()
        ):
            kept.append(" " if category in {"So", "Cs", "Co", "Cn"} else "")
        else:
            kept.append(char)
    return "".join(kept)


def expand_abbreviations(text: str) -> str:
    for short, long in sorted(ABBREVIATIONS.items(), key=lambda item: -len(item[0])):
        text = _sub(rf"(?<![\w.]){re.escape(short)}(?!\w)", long, text)
    text = _sub(r"\bNo\.\s*(?=\d)", "number ", text)
    text = _sub(r"\bG(\d{1,2})\b", lambda m: f"G {cardinal(int(m.group(1)))}", text)
    # Single letters with dots, as in initials ("J.K. Rowling"), are spelled.
    text = _sub(r"\b((?:[A-Z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    return _sub(
        r"\b[A-Z]{2,6}\b",
        lambda m: ACRONYMS_AS_WORDS.get(m.group(0), m.group(0)),
        text,
    )


def speak_dates(text: str) -> str:
    """ "Nov. 7, 2024" → "November seventh, twenty twenty-four"; "7 March" → "the seventh of March"."""
    abbreviated = "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True))
    text = _sub(rf"\b({abbreviated})\.?(?=\s+\d)", lambda m: MONTH_ABBREVIATIONS[m.group(1)], text)
    months = "|".join(MONTHS)

    def month_day(match):
        said = f"{match.group(1)} {ordinal(int(match.group(2)))}"
        return said + (f", {year(int(match.group(3)))}" if match.group(3) else "")

    text = _sub(
        rf"\b({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?", month_day, text
    )

    def day_month(match):
        said = f"the {ordinal(int(match.group(1)))} of {match.group(2)}"
        return said + (f", {year(int(match.group(3)))}" if match.group(3) else "")

    text = _sub(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({months})\b(?:,?\s+(\d{{4}})\b)?", day_month, text
    )
    text = _sub(
        rf"\b({months})\s+(\d{{4}})\b", lambda m: f"{m.group(1)} {year(int(m.group(2)))}", text
    )
    # Years of the common era stand alone after "in", "since", "by" and the like.
    return _sub(
        r"\b(in|since|by|from|until|of|before|after|during)\s+(1[1-9]\d\d|20\d\d)\b(?!\s*(?:%|percent))",
        lambda m: f"{m.group(1)} {year(int(m.group(2)))}",
        text,
        re.I,
    )


def speak_times(text: str) -> str:
    """ "8:50 a.m." → "eight fifty AM"; "8:05" → "eight oh five"; "10:00 p.m." → "ten PM"."""

    def clock(hours, minutes, meridiem):
        said = cardinal(int(hours))
        if minutes and minutes != "00":
            said += " " + (
                "oh " + ONES[int(minutes)] if minutes.startswith("0") else cardinal(int(minutes))
            )
        elif not meridiem:
            said += " hundred" if int(hours) >= 13 else " o'clock"
        return said + (f" {meridiem}" if meridiem else "")

    # The dot of "a.m." is the sentence's full stop too, unless the sentence goes on.
    meridiem = r"\s*([ap])\.?\s?m\b(?:\.(?=\s+(?-i:[a-z])))?"
    text = _sub(
        rf"\b(\d{{1,2}}):([0-5]\d){meridiem}",
        lambda m: clock(m.group(1), m.group(2), m.group(3).upper() + "M"),
        text,
        re.I,
    )
    text = _sub(
        rf"\b(\d{{1,2}}){meridiem}",
        lambda m: clock(m.group(1), None, m.group(2).upper() + "M"),
        text,
        re.I,
    )
    return _sub(
        r"\b([01]?\d|2[0-3]):([0-5]\d)\b", lambda m: clock(m.group(1), m.group(2), None), text
    )


def speak_money(text: str) -> str:
    """ "$1.2 million" → "one point two million dollars"; "£3.50" → "three pounds fifty"."""
    symbols = "".join(re.escape(symbol) for symbol in CURRENCIES)
    scales = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))

    def money(match):
        unit, minor = CURRENCIES[match.group(1)]
        amount, scale = match.group(2), match.group(3)
        if scale:
            return f"{decimal(amount)} {MULTIPLIERS[scale.lower()]} {unit}s"
        whole, _, cents = amount.replace(",", "").partition(".")
        whole = int(whole)
        units = unit if whole == 1 or unit == "yen" else unit + "s"
        if cents and int(cents) and minor:
            cents_said = cardinal(int(cents.ljust(2, "0")[:2]))
            return f"{cardinal(whole)} {units} {cents_said}" if whole else f"{cents_said} {minor}"
        return f"{cardinal(whole)} {units}"

    return _sub(rf"([{symbols}])\s?({NUMBER})(?:\s?({scales})\b)?", money, text, re.I)


def speak_percentages(text: str) -> str:
    return _sub(rf"({NUMBER})\s?(%|per\s?cent\b)", lambda m: f"{decimal(m.group(1))} percent", text)


def speak_units(text: str) -> str:
    units = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))

    def measure(match):
        unit = UNITS[match.group(2)]
        if match.group(1) in {"1", "1.0"}:
            unit = SINGULAR_UNITS.get(unit, unit)
        return f"{decimal(match.group(1))} {unit}"

    return _sub(rf"(?<![\w.,])({NUMBER})\s?({units})(?![\w/²])", measure, text)


def speak_numbers(text: str) -> str:
    """What numbers remain: ordinals ("21st"), then plain and decimal numbers ("1,200", "3.5")."""
    text = _sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1))), text)
    text = _sub(r"(?<![\w.])-(?=\d)", "minus ", text)
    text = _sub(r"\b(\d+)\s?[-–]\s?(\d+)\b", r"\1 to \2", text)
    return _sub(rf"\b({NUMBER})\b", lambda m: decimal(m.group(1)), text)


def tidy(text: str) -> str:
    text = text.replace("&", " and ")
    text = _sub(r"[\s_*#|~^=<>\[\]{}\\]+", " ", text)
    text = _sub(r"\s+([,.;:!?])", r"\1", text)
    text = _sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = _sub(r"^[\s,;:.]+", "", text)
    return text.strip()


RULES = [
    strip_markup,
    speak_links,
    drop_unspeakable,
    expand_abbreviations,
    speak_dates,
    speak_times,
    speak_money,
    speak_percentages,
    speak_units,
    speak_numbers,
    tidy,
]


def normalise(text: str) -> str:
    """News copy as it is said aloud (and shown in the captions)."""
    for rule in RULES:
        text = rule(text)
    return text


def respell(text: str, pronunciations: Mapping[str, str]) -> str:
    """Applies editors' pronunciations (word → how to say it), whole words, any case."""
    if not pronunciations:
        return text
    by_word = {word.casefold(): said for word, said in pronunciations.items()}
    pattern = "|".join(re.escape(word) for word in sorted(pronunciations, key=len, reverse=True))
    return re.sub(
        rf"(?<!\w)(?:{pattern})(?!\w)", lambda m: by_word[m.group(0).casefold()], text, flags=re.I
    )


def sentences(text: str, max_words: int = 40) -> list[str]:
    """Spoken text in sentences, each short enough for the voice and for one caption cue.

    A run-on sentence is broken at its commas or semicolons, else every
    `max_words` words, so neither the model's input nor a cue grows without bound.
    """
    result = []
    for sentence in re.split(r"(?<=[.!?…])\s+|(?<=[.!?…][\"”’)])\s+", text):
        words = sentence.split()
        if not words:
            continue
        if len(words) <= max_words:
            result.append(" ".join(words))
            continue
        piece = []
        for word in words:
            piece.append(word)
            if len(piece) >= max_words or (len(piece) >= max_words // 2 and word[-1] in ",;:"):
                result.append(" ".join(piece))
                piece = []
        if piece:
            result.append(" ".join(piece))
    return result
