"""Turn the assistant's messages into text messages a phone shows well.

Pure functions, no Rasa or Twilio: markdown is stripped (links stay as plain
URLs), buttons become numbered choices, typography that would force the UCS-2
encoding is replaced, and the text is split on sentence boundaries into single
segment parts (160 GSM-7 or 70 UCS-2 characters), at most four of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GSM7_LIMIT = 160
UCS2_LIMIT = 70
MAX_PARTS = 4
ELLIPSIS = "..."

# The GSM 03.38 default alphabet (ESC excluded) and its extension table, whose
# characters take two septets each.
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")

# Typography that sneaks in from copy-pasted text and would double the cost of
# a message (and halve its length) by forcing UCS-2.
_SUBSTITUTIONS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": ELLIPSIS,
    "\u2022": "-",
    "\u00b7": "-",
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
}
_SUBSTITUTION_TABLE = str.maketrans(_SUBSTITUTIONS)

# Whole-message keywords that carriers and Twilio act on themselves.
OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})
# A button titled with an opt-out keyword would invite the family to opt out
# by typing it; such a choice is shown under this title instead.
SAFE_OPT_OUT_TITLE = "Never mind"


@dataclass(frozen=True)
class RenderedTurn:
    """The texts to send, in order, and the numbered choices they offer."""

    parts: list[str]
    options: list[tuple[str, str]]


# ---------------------------------------------------------------- encoding


def to_gsm_friendly(text: str) -> str:
    """Replace typography that has a plain GSM-7 equivalent."""
    return text.translate(_SUBSTITUTION_TABLE)


def is_gsm7(text: str) -> bool:
    """True when the text can be sent in the 7-bit GSM alphabet."""
    return all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in text)


def sms_units(text: str) -> int:
    """Length as the network counts it: septets for GSM-7, UTF-16 units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if char in _GSM7_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def segment_limit(text: str) -> int:
    """How many units one segment of this text may hold."""
    return GSM7_LIMIT if is_gsm7(text) else UCS2_LIMIT


def fits_one_segment(text: str, reserve: int = 0) -> bool:
    return sms_units(text) + reserve <= segment_limit(text)


# ---------------------------------------------------------------- markdown

_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:!?]")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"```[^\n]*\n?"), ""),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"), r"\1"),
    (re.compile(r"__(\S(?:.*?\S)?)__"), r"\1"),
    (re.compile(r"~~(\S(?:.*?\S)?)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])"), r"\1"),
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?>"), ""),
)
_LINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.MULTILINE), ""),
    (re.compile(r"^\s*[*+]\s+", re.MULTILINE), "- "),
)


def strip_markdown(text: str) -> str:
    """Plain text for a phone: formatting removed, every link kept as its URL."""
    urls: list[str] = []

    def keep(url: str) -> str:
        urls.append(url)
        return f"\x00{len(urls) - 1}\x00"

    def image(match: re.Match[str]) -> str:
        return keep(match.group(2))

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        return keep(url) if label in ("", url) else f"{label} ({keep(url)})"

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(link, text)
    text = _URL.sub(lambda match: keep(match.group(0)), text)
    for pattern, replacement in _LINE_RULES + _INLINE_RULES:
        text = pattern.sub(replacement, text)
    text = _PLACEHOLDER.sub(lambda match: urls[int(match.group(1))], text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(text: str) -> str:
    """Markdown stripped and typography made GSM-friendly."""
    return strip_markdown(to_gsm_friendly(text))


# ---------------------------------------------------------------- keywords


def keyword_of(body: str) -> str | None:
    """The carrier keyword a whole message is, if it is one ("Stop." counts)."""
    word = body.strip().strip(".!").strip().upper()
    if word in OPT_OUT_KEYWORDS:
        return "opt_out"
    if word in OPT_IN_KEYWORDS:
        return "opt_in"
    if word in HELP_KEYWORDS:
        return "help"
    return None


# ---------------------------------------------------------------- choices

_NUMBER_REPLY = re.compile(r"^\s*#?\s*(\d{1,2})\s*[.)!]?\s*$")


def safe_title(title: str) -> str:
    """A button title fit for SMS, never a bare opt-out keyword."""
    cleaned = " ".join(clean(title).split())
    if keyword_of(cleaned) == "opt_out":
        return SAFE_OPT_OUT_TITLE
    return cleaned


def choices_text(titles: Sequence[str]) -> str:
    """'Reply 1 for "A", 2 for "B" or 3 for "C".'"""
    items = [f'{number} for "{title}"' for number, title in enumerate(titles, start=1)]
    if not items:
        return ""
    if len(items) == 1:
        return f"Reply {items[0]}."
    return f"Reply {', '.join(items[:-1])} or {items[-1]}."


def match_choice(body: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The payload a reply picks: its number, or a title typed out in full."""
    match = _NUMBER_REPLY.match(body)
    if match:
        index = int(match.group(1)) - 1
        return options[index][1] if 0 <= index < len(options) else None
    typed = " ".join(body.split()).strip(" .!").casefold()
    for title, payload in options:
        if typed and typed == title.strip(" .!").casefold():
            return payload
    return None


# ---------------------------------------------------------------- splitting

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_LABEL_RESERVE = len("(4/4) ")


def _units_of(paragraphs: Iterable[str]) -> list[tuple[str, str]]:
    """(separator before, sentence): sentences join with spaces, lines with newlines."""
    units: list[tuple[str, str]] = []
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            sentences = [s for s in _SENTENCE_END.split(line.strip()) if s]
            for index, sentence in enumerate(sentences):
                units.append((" " if index else "\n", sentence))
    return units


def _word_units(units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same text with every word as its own unit, to fill parts completely."""
    words: list[tuple[str, str]] = []
    for separator, sentence in units:
        for index, word in enumerate(sentence.split(" ")):
            if word:
                words.append((separator if index == 0 else " ", word))
    return words


def _hard_split(text: str, reserve: int) -> list[str]:
    """Cut a too-long word into pieces that each fit one segment."""
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and not fits_one_segment(current + char, reserve):
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def _words(sentence: str, reserve: int) -> list[str]:
    """A sentence longer than a segment, as words (long words cut)."""
    words: list[str] = []
    for word in filter(None, sentence.split(" ")):
        words.extend([word] if fits_one_segment(word, reserve) else _hard_split(word, reserve))
    return words


def _pack(units: list[tuple[str, str]], reserve: int) -> list[str]:
    """Greedy packing of sentences (then words) into single-segment parts."""
    parts: list[str] = []
    current = ""
    for separator, sentence in units:
        pieces = [sentence] if fits_one_segment(sentence, reserve) else _words(sentence, reserve)
        for index, piece in enumerate(pieces):
            joiner = separator if index == 0 else " "
            candidate = f"{current}{joiner}{piece}" if current else piece
            if fits_one_segment(candidate, reserve):
                current = candidate
            else:
                if current:
                    parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _labelled(parts: list[str]) -> list[str]:
    """Number parts so the family can read them in order whatever order they land in."""
    if len(parts) < 2:
        return parts
    return [f"({index}/{len(parts)}) {part}" for index, part in enumerate(parts, start=1)]


def split_parts(paragraphs: Sequence[str], tail: str = "", max_parts: int = MAX_PARTS) -> list[str]:
    """Split text into at most max_parts single-segment texts, on sentence boundaries.

    Parts end at sentences when that fits, else they are filled word by word.
    The tail (the numbered choices) is always kept whole at the end; when the
    text still does not fit, it is cut after the last sentence that does and
    marked with "...".
    """
    text_units = _units_of(p for p in paragraphs if p.strip())
    tail_units = _units_of([tail]) if tail.strip() else []
    if not text_units and not tail_units:
        return []
    single = _pack(text_units + tail_units, 0)
    if len(single) <= 1:
        return single
    for units in (text_units, _word_units(text_units)):
        parts = _pack(units + tail_units, _LABEL_RESERVE)
        if len(parts) <= max_parts:
            return _labelled(parts)
    # Too long even when parts are filled word by word: drop whole sentences
    # from the end until the rest fits, and mark the cut.
    kept = list(text_units)
    while True:
        kept.pop()
        body = list(kept)
        if body:
            separator, last = body[-1]
            body[-1] = (separator, last.rstrip(" .,;:") + ELLIPSIS)
        parts = _pack(_word_units(body) + tail_units, _LABEL_RESERVE)
        if len(parts) <= max_parts or not kept:
            break
    if len(parts) > max_parts:
        # Only a tail longer than every allowed part could get here.
        parts = parts[:max_parts]
    return _labelled(parts)


# ---------------------------------------------------------------- a whole turn


def _message_text(message: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    custom = message.get("custom")
    if isinstance(message.get("text"), str):
        texts.append(message["text"])
    elif isinstance(custom, dict) and isinstance(custom.get("text"), str):
        texts.append(custom["text"])
    for key in ("image", "attachment"):
        if isinstance(message.get(key), str):
            texts.append(message[key])
    return [cleaned for cleaned in (clean(text) for text in texts) if cleaned]


def render_turn(
    messages: Sequence[dict[str, Any]],
    lead: Sequence[str] = (),
    max_parts: int = MAX_PARTS,
) -> RenderedTurn:
    """Render one turn's bot messages (Rasa's collected output) as SMS parts.

    Buttons from every message are numbered in order into one "Reply 1 for..."
    line at the end; URL buttons become "title: url" lines instead.
    """
    paragraphs = [clean(text) for text in lead if text.strip()]
    options: list[tuple[str, str]] = []
    for message in messages:
        paragraphs.extend(_message_text(message))
        for button in message.get("buttons") or message.get("quick_replies") or []:
            if not isinstance(button, dict):
                continue
            title = safe_title(str(button.get("title") or ""))
            payload = button.get("payload")
            url = button.get("url")
            if isinstance(url, str) and url and not payload:
                paragraphs.append(f"{title}: {url}" if title else url)
            elif isinstance(payload, str) and payload:
                options.append((title or payload, payload))
    tail = choices_text([title for title, _ in options])
    return RenderedTurn(split_parts(paragraphs, tail, max_parts), options)
