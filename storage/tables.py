"""SQLAlchemy tables. Names never collide with Rasa's own `events` table."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class BookingRow(Base):
    """One consultation booking; the idempotency key makes a retried submit a no-op."""

    __tablename__ = "sprout_bookings"
    __table_args__ = (UniqueConstraint("idempotency_key", name="uq_booking_idempotency"),)

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    idempotency_key = Column(String(128), nullable=False)
    parent_name = Column(String(120), nullable=False)
    child_name = Column(String(120), nullable=False)
    child_age = Column(String(60), nullable=False)
    contact = Column(String(254), nullable=False)
    visit_type = Column(String(16), nullable=False)
    concern = Column(Text, nullable=False)
    recommended_therapy = Column(String(8))
    channel = Column(String(32))
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    # Set by staff (`sprout bookings mark-contacted REF`) once they have called back.
    contacted_at = Column(DateTime(timezone=True))


class NotificationRow(Base):
    """Outbox: a message for the clinic, written in the same transaction as the booking.

    Delivery happens afterwards and is retried until it succeeds, so a booking
    is never stored without the clinic eventually hearing about it.
    """

    __tablename__ = "sprout_notifications"

    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)
    subject_key = Column(String(128), nullable=False, unique=True)
    payload = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    sent_at = Column(DateTime(timezone=True))


class HandoffRow(Base):
    """A request for a person, for the clinic's team to follow up."""

    __tablename__ = "sprout_handoffs"

    id = Column(Integer, primary_key=True)
    conversation_key = Column(String(128), nullable=False, index=True)
    channel = Column(String(32))
    reason = Column(Text, nullable=False)
    # The last turns of the conversation, so staff know the context before replying.
    transcript = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
