"""Structured logs that never carry a family's phone number, email or name.

Both servers log through the same setup (sprout/logging.yml, passed with
`--logging-config-file`): one JSON object per line on stderr, after a filter
has masked anything that looks like contact details or personal free text,
whoever logged it (our code, Rasa, Sanic, a library's exception message).
`SPROUT_LOG_FORMAT=text` gives the same redacted records as plain lines.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
TEXT_MASK = "[redacted]"

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Digit runs with the separators people type in phone numbers; checked further below.
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d ().\-\u00a0]{5,22}\d(?![\w/])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_DOTTED_PHONE = re.compile(r"\(?\d{3}\)?\.\d{3}\.\d{4}")

# Slot names and message fields whose values are personal: masked wherever a
# log line shows them as `key: value`, `key=value`, `"key": "value"` or
# Rasa's `SlotSet(key: name, value: value)`.
PERSONAL_KEYS = (
    "parent_name",
    "child_name",
    "child_age",
    "contact",
    "concern",
    "phone",
    "email",
    "name",
    "text",
    "message",
    "body",
    "from",
    "value",
    "parse_data_text",
    "user_text",
    "utterance",
)
_KEYS = "|".join(PERSONAL_KEYS)
_QUOTED_VALUE = re.compile(
    rf"""(?P<key>["']?\b(?:{_KEYS})\b["']?\s*[:=]\s*)(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.IGNORECASE,
)
_BARE_VALUE = re.compile(
    rf"(?P<key>\b(?:{_KEYS})\b\s*[=]\s*)(?P<value>[^\s,;(){{}}\[\]]+)", re.IGNORECASE
)
# Rasa's slot dump: "\tparent_name: Maria Lopez\n" (escaped once inside structlog's JSON).
_SLOT_NAMES = "parent_name|child_name|child_age|contact|concern|phone|email"
_COLON_VALUE = re.compile(
    rf"(?P<key>(?:(?<=\\[nt])|\b)(?:{_SLOT_NAMES}):[ \t]*)"
    rf"(?P<value>(?![\s\[\"'])(?:(?!\\[nt]|[\n\r\",}}]).)+)"
)
_SLOT_SET = re.compile(
    r"(?P<key>SlotSet\(key: [\w-]+, value: )(?P<value>.*?)(?P<end>\))", re.IGNORECASE
)
# Rasa's event reprs at DEBUG: BotUttered('Thanks, Maria. ...', ...) echoes slot values.
_EVENT_TEXT = re.compile(
    r"(?P<key>\b(?:BotUttered|UserUttered)\((?:text: )?)(?P<q>['\"])(?P<value>.*?)(?P=q)"
    r"(?=\s*[,)])"
)
# The rule policy's state dump: "[state 3] user text: Maria Lopez | previous action ..."
_STATE_TEXT = re.compile(r"(?P<key>\buser text: )(?P<value>(?:(?! \||\\n|\n).)+)")
# Rasa at DEBUG: "Received user message 'my son Leo...' with intent ..."
_USER_MESSAGE = re.compile(
    r"(?P<key>user message )(?P<q>['\"])(?P<value>.*?)(?P=q)(?=\s+with\b|\s*$|[,.;)])"
)
# Free text where a parent introduces someone: "my name is Maria Lopez".
_NAME_PHRASE = re.compile(
    r"(?P<key>\b(?:name is|name's|i am|i'm|called|named)\s+)"
    r"(?P<value>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
)


def _looks_like_phone(candidate: str) -> bool:
    digits = sum(char.isdigit() for char in candidate)
    if not 7 <= digits <= 15:
        return False
    if _ISO_DATE.search(candidate) or _TIME.search(candidate):
        return False
    if _DOTTED.fullmatch(candidate.strip()):
        # Versions, addresses and decimals, unless shaped like 555.010.0123.
        return bool(_DOTTED_PHONE.fullmatch(candidate.strip()))
    return True


def _mask_phone(match: re.Match[str]) -> str:
    return PHONE_MASK if _looks_like_phone(match.group(0)) else match.group(0)


def redact(text: str) -> str:
    """The text with contact details, names and quoted personal values masked."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _PHONE.sub(_mask_phone, text)
    text = _SLOT_SET.sub(lambda m: f"{m.group('key')}{TEXT_MASK}{m.group('end')}", text)
    text = _EVENT_TEXT.sub(
        lambda m: f"{m.group('key')}{m.group('q')}{TEXT_MASK}{m.group('q')}", text
    )
    text = _STATE_TEXT.sub(lambda m: f"{m.group('key')}{TEXT_MASK}", text)
    text = _QUOTED_VALUE.sub(
        lambda m: f"{m.group('key')}{m.group('q')}{TEXT_MASK}{m.group('q')}", text
    )
    text = _COLON_VALUE.sub(lambda m: f"{m.group('key')}{TEXT_MASK}", text)
    text = _BARE_VALUE.sub(lambda m: f"{m.group('key')}{TEXT_MASK}", text)
    text = _USER_MESSAGE.sub(
        lambda m: f"{m.group('key')}{m.group('q')}{TEXT_MASK}{m.group('q')}", text
    )
    return _NAME_PHRASE.sub(lambda m: f"{m.group('key')}{TEXT_MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record in place, so every handler sees only the masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} (unformattable arguments)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message[, exception]."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The same records as readable lines, for a person watching a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-8s %(name)s - %(message)s")


def formatter_from_env() -> logging.Formatter:
    """JSON lines unless SPROUT_LOG_FORMAT=text."""
    if os.environ.get("SPROUT_LOG_FORMAT", "json").strip().lower() == "text":
        return TextFormatter()
    return JsonFormatter()


class ConsoleHandler(logging.Handler):
    """Writes to stderr, and stays the only console handler on the root logger.

    After the logging file is applied, `rasa run` installs coloredlogs, which
    would add a second, unredacted stream handler (it replaces any plain
    StreamHandler, so this class is deliberately not one). The first record
    this handler sees removes such handlers from the root logger.
    """

    def handle(self, record: logging.LogRecord) -> bool:
        root = logging.getLogger()
        for other in list(root.handlers):
            if other is not self and _writes_to_console(other):
                root.removeHandler(other)
        return super().handle(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def _writes_to_console(handler: logging.Handler) -> bool:
    stream = getattr(handler, "stream", None)
    return isinstance(handler, logging.StreamHandler) and stream in (
        sys.stdout,
        sys.stderr,
        sys.__stdout__,
        sys.__stderr__,
    )
