"""Remove contact details and names from a message before it is stored or shown.

Staff read the messages the assistant did not understand to improve its training
data; they need the wording, not who wrote it. Redaction errs on the side of
removing too much: a clinic name lost from an example costs less than a leaked
phone number.
"""

from __future__ import annotations

import re

EMAIL = "[email]"
PHONE = "[phone]"
NAME = "[name]"
URL = "[link]"

_EMAIL = re.compile(r"[\w.+%-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Anything that looks like a phone number: 7 or more digits with the usual separators.
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-]{5,}\d(?![\w/])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{2,4}")
_TITLE = re.compile(r"\b(Dr|Mr|Mrs|Ms|Miss|Mx|Prof)(\.?\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?")
MIN_PHONE_DIGITS = 7

# A cue that the next word(s) are a name, whatever their case.
_NAME_CUE_ANY = re.compile(
    r"\b(my name is|my name's|name is|named|sign(?:ed)? as)\s+"
    r"([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)",
    re.IGNORECASE,
)
# A cue whose next word is a name only when capitalised ("I'm Sara", not "I'm worried").
_NAME_CUE_CAPITAL = re.compile(
    r"\b((?i:i'm|i’m|i am|im|this is|it's|it’s|call me|called|(?:my|our) "
    r"(?:son|daughter|child|kid|baby|boy|girl|twins?|husband|wife|partner)))\s+"
    r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)
_STOP_AFTER_CUE = {"and", "but", "or", "he", "she", "they", "is", "was", "from", "with", "my"}
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]*")
# Where a capitalised word starts a sentence and so says nothing about being a name.
# (A name that opens a sentence without a cue, "Leo can't crawl", is not caught.)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*[\"'(]*$")

# Capitalised words that are not names: kept so the example stays useful.
_KEEP_WORDS = """
    I PT OT Sprout NICU Medicaid Medicare Down Downs Tricare Aetna Cigna Humana Kaiser
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Mon Tue Wed Thu Fri Sat Sun
    Dr Mr Mrs Ms Miss Mx Prof English Spanish Zoom Google Facebook Instagram Christmas Easter
"""
KEEP = frozenset(_KEEP_WORDS.split())


def _phone(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = sum(ch.isdigit() for ch in raw)
    if digits < MIN_PHONE_DIGITS or _DATE.fullmatch(raw.strip()):
        return raw
    return PHONE


def _names_after_cue(text: str, pattern: re.Pattern[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        words = match.group(2).split()
        kept = []
        for word in words:
            if word.lower() in _STOP_AFTER_CUE or word.strip("'’") in KEEP:
                break
            kept.append(word)
        if not kept:
            return match.group(0)
        start, end = match.span(2)
        name_end = start + len(" ".join(kept)) if len(kept) < len(words) else end
        offset = match.start()
        whole = match.group(0)
        return whole[: start - offset] + NAME + whole[name_end - offset :]

    return pattern.sub(replace, text)


def _capitalised_mid_sentence(text: str) -> str:
    """Proper nouns inside a sentence are taken as names unless they are known words."""
    pieces = []
    last = 0
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if word.strip("'’") in KEEP or _SENTENCE_START.search(text[: match.start()]):
            continue
        pieces.append(text[last : match.start()])
        pieces.append(NAME)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def redact(text: str) -> str:
    """The message with emails, links, phone numbers and names replaced by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(URL, text)
    text = _PHONE.sub(_phone, text)
    text = _TITLE.sub(lambda m: f"{m.group(1)}{m.group(2)}{NAME}", text)
    text = _names_after_cue(text, _NAME_CUE_ANY)
    text = _names_after_cue(text, _NAME_CUE_CAPITAL)
    text = _capitalised_mid_sentence(text)
    return re.sub(rf"(?:{re.escape(NAME)}\s+)+{re.escape(NAME)}", NAME, text)
