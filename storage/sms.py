"""What the SMS channel must remember between webhooks.

Twilio may deliver one message twice, families can opt out and back in, a reply
of "1" only means something next to the choices offered last, and failed
deliveries must reach staff. Conversations are identified by the channel's keyed
hash of the phone number, so these tables hold no phone numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.exc import IntegrityError

from storage.db import SqlRepository, transaction
from storage.tables import Base

# Numbered choices older than this are stale: "1" a day later is just text.
CHOICES_TTL = timedelta(hours=24)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SmsInboundRow(Base):
    """One processed inbound MessageSid; the unique key makes a redelivery a no-op."""

    __tablename__ = "sprout_sms_inbound"

    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False, unique=True)
    conversation_key = Column(String(80), nullable=False, index=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class SmsOptOutRow(Base):
    """Whether a number has opted out of texts (carrier STOP / START keywords)."""

    __tablename__ = "sprout_sms_opt_outs"

    conversation_key = Column(String(80), primary_key=True)
    opted_out = Column(Boolean, nullable=False)
    changed_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class SmsChoicesRow(Base):
    """The numbered choices last offered in a conversation, as button payloads."""

    __tablename__ = "sprout_sms_choices"

    conversation_key = Column(String(80), primary_key=True)
    choices = Column(Text, nullable=False)
    offered_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class SmsDeliveryRow(Base):
    """A failed or undelivered outbound text, reported by Twilio's status callback."""

    __tablename__ = "sprout_sms_delivery_failures"
    __table_args__ = (UniqueConstraint("message_sid", "status", name="uq_sms_delivery_status"),)

    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False)
    status = Column(String(32), nullable=False)
    error_code = Column(String(16))
    conversation_key = Column(String(80))
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=_now)


@dataclass(frozen=True)
class Choice:
    """A numbered option: what the family saw and what it stands for."""

    title: str
    payload: str


@dataclass(frozen=True)
class DeliveryFailure:
    """A failed delivery as staff see it."""

    message_sid: str
    status: str
    error_code: str | None
    conversation_key: str | None
    recorded_at: datetime


class SmsStore(SqlRepository):
    """SQLAlchemy repository for the SMS channel; the schema is migrated on first use."""

    def claim_message(self, message_sid: str, conversation_key: str) -> bool:
        """True the first time a MessageSid is seen, False for any redelivery."""
        try:
            with transaction(self._sessions) as session:
                session.add(
                    SmsInboundRow(message_sid=message_sid, conversation_key=conversation_key)
                )
        except IntegrityError:
            return False
        return True

    def is_opted_out(self, conversation_key: str) -> bool:
        with transaction(self._sessions) as session:
            row = session.get(SmsOptOutRow, conversation_key)
            return bool(row and row.opted_out)

    def set_opted_out(self, conversation_key: str, opted_out: bool) -> None:
        """Record an opt-out (STOP) or an opt-in (START)."""
        with transaction(self._sessions) as session:
            row = session.get(SmsOptOutRow, conversation_key)
            if row is None:
                session.add(SmsOptOutRow(conversation_key=conversation_key, opted_out=opted_out))
            else:
                row.opted_out = opted_out
                row.changed_at = _now()

    def save_choices(self, conversation_key: str, choices: list[Choice]) -> None:
        """Remember the latest offer; an empty list forgets the previous one."""
        with transaction(self._sessions) as session:
            row = session.get(SmsChoicesRow, conversation_key)
            if not choices:
                if row is not None:
                    session.delete(row)
                return
            encoded = json.dumps([[c.title, c.payload] for c in choices])
            if row is None:
                session.add(SmsChoicesRow(conversation_key=conversation_key, choices=encoded))
            else:
                row.choices = encoded
                row.offered_at = _now()

    def choices(self, conversation_key: str) -> list[Choice]:
        """The choices offered last, unless they are too old to mean anything."""
        with transaction(self._sessions) as session:
            row = session.get(SmsChoicesRow, conversation_key)
            if row is None or _aware(row.offered_at) < _now() - CHOICES_TTL:
                return []
            return [Choice(title, payload) for title, payload in json.loads(row.choices)]

    def record_delivery_failure(
        self,
        message_sid: str,
        status: str,
        error_code: str | None,
        conversation_key: str | None,
    ) -> None:
        """Store one failed delivery; a repeated callback for it is ignored."""
        try:
            with transaction(self._sessions) as session:
                session.add(
                    SmsDeliveryRow(
                        message_sid=message_sid,
                        status=status,
                        error_code=error_code,
                        conversation_key=conversation_key,
                    )
                )
        except IntegrityError:
            pass

    def recent_failures(
        self, limit: int = 50, since: datetime | None = None
    ) -> list[DeliveryFailure]:
        """Newest failures first, for the staff report."""
        query = select(SmsDeliveryRow).order_by(SmsDeliveryRow.recorded_at.desc()).limit(limit)
        if since is not None:
            query = query.where(SmsDeliveryRow.recorded_at >= since)
        with transaction(self._sessions) as session:
            return [
                DeliveryFailure(
                    row.message_sid,
                    row.status,
                    row.error_code,
                    row.conversation_key,
                    _aware(row.recorded_at),
                )
                for row in session.execute(query).scalars()
            ]


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
