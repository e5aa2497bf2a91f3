"""What one broker message means for the report, decided without any I/O.

Rasa's PikaEventBroker publishes every new tracker event as JSON with the
conversation's `sender_id` added. Only the events the report needs are kept:
user messages (intent, FAQ topic, redacted text), actions, forms starting and
ending, session starts and the two slots that record outcomes. Everything else
is acknowledged and dropped.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from analytics.redact import redact

# Slots whose values are outcomes the clinic counts.
OUTCOME_SLOTS = frozenset({"recommended_therapy", "booking_reference"})
# active_loop tells a form answer that NLU could not classify from a message nobody understood.
KEPT_TYPES = frozenset({"user", "action", "slot", "session_started", "active_loop"})
MAX_SENDER = 255
MAX_NAME = 120
MAX_TEXT = 1000


class Unusable(ValueError):
    """A message that is not a Rasa event at all (not JSON, no sender, no type)."""


@dataclass(frozen=True)
class EventRecord:
    """One stored event; (sender_id, timestamp, event_type, digest) identifies it."""

    sender_id: str
    event_type: str
    timestamp: float
    digest: str
    name: str | None = None
    intent: str | None = None
    faq_topic: str | None = None
    text: str | None = None
    value: str | None = None

    @property
    def occurred_at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, tz=timezone.utc)

    def as_row(self) -> dict[str, Any]:
        return {
            "sender_id": self.sender_id,
            "event_type": self.event_type,
            "timestamp": self.timestamp,
            "occurred_at": self.occurred_at,
            "digest": self.digest,
            "name": self.name,
            "intent": self.intent,
            "faq_topic": self.faq_topic,
            "text": self.text,
            "value": self.value,
        }


def _short(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    return str(value)[:limit]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _faq_topic(parse_data: dict[str, Any]) -> str | None:
    """The FAQ key chosen by the response selector ("insurance" for "faq/insurance")."""
    selector = _dict(_dict(parse_data.get("response_selector")).get("faq"))
    key = _dict(selector.get("response")).get("intent_response_key") or ""
    return key.split("/", 1)[1] if isinstance(key, str) and "/" in key else None


def decode(body: bytes) -> dict[str, Any]:
    """The event as a dict, or Unusable if the body is not a Rasa event."""
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unusable("not JSON") from exc
    if not isinstance(event, dict):
        raise Unusable("not a JSON object")
    if not isinstance(event.get("sender_id"), str) or not event["sender_id"]:
        raise Unusable("no sender_id")
    if not isinstance(event.get("event"), str):
        raise Unusable("no event type")
    timestamp = event.get("timestamp")
    if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
        raise Unusable("no timestamp")
    if not math.isfinite(timestamp) or timestamp < 0:
        raise Unusable("timestamp out of range")
    return event


def digest_of(body: bytes) -> str:
    """A hash of the whole message: two deliveries of one event share it."""
    return hashlib.sha256(body).hexdigest()[:32]


def record_from(body: bytes) -> EventRecord | None:
    """The record to store for this message, None when the report does not need it."""
    event = decode(body)
    kind = event["event"]
    if kind not in KEPT_TYPES:
        return None
    common = {
        "sender_id": event["sender_id"][:MAX_SENDER],
        "event_type": kind,
        "timestamp": float(event["timestamp"]),
        "digest": digest_of(body),
    }
    if kind == "user":
        parse_data = _dict(event.get("parse_data"))
        intent = _dict(parse_data.get("intent")).get("name")
        text = event.get("text")
        return EventRecord(
            **common,
            intent=_short(intent, MAX_NAME),
            faq_topic=_short(_faq_topic(parse_data), MAX_NAME),
            text=redact(str(text))[:MAX_TEXT] if text else None,
        )
    if kind in ("action", "active_loop"):
        return EventRecord(**common, name=_short(event.get("name"), MAX_NAME))
    if kind == "slot":
        if event.get("name") not in OUTCOME_SLOTS:
            return None
        return EventRecord(**common, name=event["name"], value=_short(event.get("value"), MAX_NAME))
    return EventRecord(**common)
