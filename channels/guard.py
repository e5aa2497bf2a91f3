"""What every channel does to a parent's message before Rasa sees it.

Rasa treats a message starting with "/" as an intent (with optional slot
values), which is how buttons work. A parent must not be able to type
"/action_submit_consultation" or set slots that way, so only the payloads our
own buttons send are let through; anything else loses its leading slash and is
read as ordinary text. Control characters are removed and very long messages
are cut, with a note to the parent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Exactly the payloads the assistant's buttons send.
ALLOWED_PAYLOADS = frozenset(
    {
        "/affirm",
        "/deny",
        "/cancel",
        "/help",
        "/greet",
        "/book_consultation",
        "/ask_which_therapy",
        "/human_handoff",
    }
)
MAX_MESSAGE_CHARS = 2000
TRUNCATION_NOTE = (
    "Your message was very long, so I read the first part of it. "
    "Feel free to send the rest as a new message."
)
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class CleanMessage:
    """A message ready for Rasa, and what had to be done to it."""

    text: str
    truncated: bool = False
    payload_blocked: bool = False


def _printable(text: str) -> str:
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t" or not category.startswith("C"):
            kept.append(char)
        elif category == "Cc":
            kept.append(" ")
    return _SPACES.sub(" ", "".join(kept)).strip()


def clean_message(raw: object) -> CleanMessage:
    """Make any incoming value a safe text message."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    text = _printable(text)
    truncated = len(text) > MAX_MESSAGE_CHARS
    if truncated:
        text = text[:MAX_MESSAGE_CHARS].rsplit(" ", 1)[0] or text[:MAX_MESSAGE_CHARS]
    blocked = False
    if text.startswith("/") and text not in ALLOWED_PAYLOADS:
        text = text.lstrip("/").strip()
        blocked = True
    return CleanMessage(text, truncated, blocked)
