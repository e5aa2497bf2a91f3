"""The booking store: one interface, backed by SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.db import SqlRepository, transaction
from storage.models import BookingRequest, HandoffRequest, StoredBooking
from storage.outbox import booking_notification, handoff_notification
from storage.references import new_reference
from storage.tables import BookingRow, HandoffRow

_REFERENCE_ATTEMPTS = 8


class BookingStore(Protocol):
    """What the actions need from storage."""

    def save_booking(
        self, request: BookingRequest, reference: str | None = None
    ) -> StoredBooking: ...

    def save_handoff(self, request: HandoffRequest) -> None: ...


class SqlBookingStore(SqlRepository):
    """SQLAlchemy implementation; the schema is migrated on first use."""

    def save_booking(self, request: BookingRequest, reference: str | None = None) -> StoredBooking:
        """Store a booking exactly once per idempotency key, with its clinic notification.

        `reference` is for imports that must keep an existing reference.
        """
        existing = self.find_booking(request.idempotency_key)
        if existing is not None:
            return existing
        for _ in range(_REFERENCE_ATTEMPTS):
            row = BookingRow(reference=reference or new_reference(), **_columns(request))
            try:
                with transaction(self._sessions) as session:
                    session.add(row)
                    session.flush()
                    session.add(booking_notification(row.reference, request))
                    created_at = row.created_at
                    reference = row.reference
                return StoredBooking(reference, request, created_at, created=True)
            except IntegrityError:
                # Either a concurrent submit of the same booking won the race,
                # or (rarely) the random reference was taken: look, then retry.
                existing = self.find_booking(request.idempotency_key)
                if existing is not None:
                    return existing
        raise RuntimeError("could not allocate a unique booking reference")

    def find_booking(self, idempotency_key: str) -> StoredBooking | None:
        """Return the booking stored under this key, if any."""
        with transaction(self._sessions) as session:
            row = session.execute(
                select(BookingRow).where(BookingRow.idempotency_key == idempotency_key)
            ).scalar_one_or_none()
            if row is None:
                return None
            return StoredBooking(row.reference, _request(row), row.created_at, created=False)

    def count_bookings(self) -> int:
        """How many bookings are stored (for tests and reports)."""
        with transaction(self._sessions) as session:
            return len(session.execute(select(BookingRow.id)).all())

    def save_handoff(self, request: HandoffRequest) -> None:
        """Record that a family asked for a person, and tell the clinic."""
        with transaction(self._sessions) as session:
            session.add(
                HandoffRow(
                    conversation_key=request.conversation_key,
                    channel=request.channel,
                    reason=request.reason,
                    transcript=request.transcript or None,
                )
            )
            session.add(handoff_notification(request))


def _columns(request: BookingRequest) -> dict[str, str | None]:
    """BookingRequest's fields are named after the booking table's columns."""
    return asdict(request)


def _request(row: BookingRow) -> BookingRequest:
    return BookingRequest(
        **{field.name: getattr(row, field.name) for field in fields(BookingRequest)}
    )
