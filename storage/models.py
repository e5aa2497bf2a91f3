"""Plain value objects passed between the actions and the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BookingRequest:
    """A consultation request as the parent confirmed it."""

    idempotency_key: str
    parent_name: str
    child_name: str
    child_age: str
    contact: str
    visit_type: str
    concern: str
    recommended_therapy: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class StoredBooking:
    """A booking as saved, with the reference given to the family."""

    reference: str
    request: BookingRequest
    created_at: datetime
    created: bool  # False when the same request was already stored


@dataclass(frozen=True)
class HandoffRequest:
    """A family asking to talk to a person."""

    conversation_key: str
    channel: str | None
    reason: str
    transcript: str = ""
