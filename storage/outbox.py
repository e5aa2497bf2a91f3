"""The notification outbox: what the clinic must hear about, until it has.

Rows are added in the same transaction as the booking or handoff they describe
(see repo.py); `Outbox` hands due rows to a sender and records the outcome,
backing off after failures.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from storage.models import BookingRequest, HandoffRequest
from storage.tables import NotificationRow

MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Notification:
    """One message for the clinic's team."""

    id: int
    kind: str
    payload: dict
    attempts: int


def _now() -> datetime:
    return datetime.now(timezone.utc)


def booking_notification(reference: str, request: BookingRequest) -> NotificationRow:
    details = {k: v for k, v in asdict(request).items() if k != "idempotency_key"}
    return NotificationRow(
        kind="booking",
        subject_key=f"booking:{reference}",
        payload=json.dumps({"reference": reference, **details}),
    )


def handoff_notification(request: HandoffRequest) -> NotificationRow:
    return NotificationRow(
        kind="handoff",
        subject_key=f"handoff:{uuid.uuid4().hex}",
        payload=json.dumps(asdict(request)),
    )


class Outbox:
    """Reads due notifications and records delivery results."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(bind=engine, future=True)

    def due(self, limit: int = 50) -> list[Notification]:
        """Pending notifications whose next attempt time has come."""
        with self._sessions() as session:
            rows = session.execute(
                select(NotificationRow)
                .where(NotificationRow.status == "pending")
                .where(NotificationRow.next_attempt_at <= _now())
                .order_by(NotificationRow.id)
                .limit(limit)
            ).scalars()
            return [Notification(r.id, r.kind, json.loads(r.payload), r.attempts) for r in rows]

    def mark_sent(self, notification_id: int) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notification_id)
                .values(status="sent", sent_at=_now(), last_error=None)
            )

    def mark_failed(self, notification: Notification, error: str) -> None:
        """Keep it pending and try again later, waiting longer each time."""
        delay = min(timedelta(seconds=30 * 2**notification.attempts), MAX_BACKOFF)
        with self._sessions.begin() as session:
            session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notification.id)
                .values(
                    attempts=notification.attempts + 1,
                    last_error=error[:500],
                    next_attempt_at=_now() + delay,
                )
            )

    def counts(self) -> dict[str, int]:
        """How many notifications are in each state (for staff and tests)."""
        with self._sessions() as session:
            statuses = session.execute(select(NotificationRow.status)).scalars().all()
        return {status: statuses.count(status) for status in set(statuses)}
