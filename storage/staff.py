"""What the clinic's staff do with stored bookings: review, follow up, export, purge.

Kept in the storage package, apart from the command line that prints it, so the
queries can be tested on real databases and reused by other staff tools.
Nothing here logs: bookings carry parents' phone numbers and email addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

from sqlalchemy import delete, func, literal, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from storage.db import SqlRepository, transaction
from storage.references import PREFIX
from storage.tables import BookingRow, HandoffRow, NotificationRow

# Outbox kinds that describe a booking or handoff (and so may be purged with them).
_PURGED_KINDS = ("booking", "handoff")

# The columns of a CSV export, in order.
EXPORT_FIELDS = (
    "reference",
    "created_at",
    "contacted_at",
    "parent_name",
    "child_name",
    "child_age",
    "contact",
    "visit_type",
    "concern",
    "recommended_therapy",
    "channel",
)

# A cell starting with one of these may be run as a formula by a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Digits and phone punctuation only: harmless even where a formula could start.
_PHONE_LIKE = re.compile(r"[+\-]?[\d\s().\-]+")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def normalize_reference(text: str) -> str | None:
    """`spr-7k3q`, `SPR7K3Q`, ` 7k3q ` all mean SPR-7K3Q: staff type what the parent reads out.

    The reference alphabet has no S, so a leading "SPR" is always the prefix.
    Returns None when nothing is left to look up.
    """
    code = re.sub(r"[\s\-]", "", text.upper())
    bare_prefix = PREFIX.rstrip("-")
    if code.startswith(bare_prefix):
        code = code[len(bare_prefix) :]
    return PREFIX + code if code else None


@dataclass(frozen=True)
class BookingRecord:
    """A stored booking as staff see it, timestamps in UTC."""

    reference: str
    created_at: datetime
    contacted_at: datetime | None
    parent_name: str
    child_name: str
    child_age: str
    contact: str
    visit_type: str
    concern: str
    recommended_therapy: str | None
    channel: str | None

    @property
    def contacted(self) -> bool:
        return self.contacted_at is not None


@dataclass(frozen=True)
class HandoffRecord:
    """A request to talk to a person, timestamps in UTC."""

    id: int
    created_at: datetime
    conversation_key: str
    channel: str | None
    reason: str
    transcript: str | None


class ContactOutcome(Enum):
    """What `mark_contacted` found, so the caller can word its reply."""

    MARKED = "marked"
    ALREADY = "already"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ContactResult:
    outcome: ContactOutcome
    reference: str
    contacted_at: datetime | None = None


@dataclass(frozen=True)
class PurgeResult:
    """How many rows went, and how many unsent notifications were deliberately kept."""

    bookings: int
    handoffs: int
    notifications: int
    pending_kept: int


def _booking(row: BookingRow) -> BookingRecord:
    return BookingRecord(
        reference=row.reference,
        created_at=as_utc(row.created_at),
        contacted_at=as_utc(row.contacted_at),
        parent_name=row.parent_name,
        child_name=row.child_name,
        child_age=row.child_age,
        contact=row.contact,
        visit_type=row.visit_type,
        concern=row.concern,
        recommended_therapy=row.recommended_therapy,
        channel=row.channel,
    )


def _handoff(row: HandoffRow) -> HandoffRecord:
    return HandoffRecord(
        id=row.id,
        created_at=as_utc(row.created_at),
        conversation_key=row.conversation_key,
        channel=row.channel,
        reason=row.reason,
        transcript=row.transcript,
    )


def _days_ago(days: float, now: datetime | None) -> datetime:
    if days <= 0:
        raise ValueError("the number of days must be positive")
    return (now or _now()) - timedelta(days=days)


def spreadsheet_safe(value: str) -> str:
    """Quote a cell a spreadsheet would run as a formula (text typed by parents).

    Phone numbers such as +12125550147 are left alone: without letters nothing
    can be called, and staff need the number as written.
    """
    if value.startswith(_FORMULA_STARTS) and not _PHONE_LIKE.fullmatch(value):
        return "'" + value
    return value


def export_row(booking: BookingRecord) -> dict[str, str]:
    """One booking as CSV cells: ISO timestamps, empty text for missing values."""
    cells = {
        "reference": booking.reference,
        "created_at": booking.created_at.isoformat(timespec="seconds"),
        "contacted_at": (
            booking.contacted_at.isoformat(timespec="seconds") if booking.contacted_at else ""
        ),
        "parent_name": booking.parent_name,
        "child_name": booking.child_name,
        "child_age": booking.child_age,
        "contact": booking.contact,
        "visit_type": booking.visit_type,
        "concern": booking.concern,
        "recommended_therapy": booking.recommended_therapy or "",
        "channel": booking.channel or "",
    }
    return {field: spreadsheet_safe(cells[field]) for field in EXPORT_FIELDS}


class StaffDesk(SqlRepository):
    """Staff queries and maintenance on the booking database; migrates it on open."""

    def list_bookings(
        self,
        since_days: float | None = None,
        not_contacted: bool = False,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> list[BookingRecord]:
        """Newest first, so the families waiting for a call are at the top."""
        query = select(BookingRow).order_by(BookingRow.created_at.desc(), BookingRow.id.desc())
        if since_days is not None:
            query = query.where(BookingRow.created_at >= _days_ago(since_days, now))
        if not_contacted:
            query = query.where(BookingRow.contacted_at.is_(None))
        if limit is not None:
            query = query.limit(limit)
        with transaction(self._sessions) as session:
            return [_booking(row) for row in session.execute(query).scalars()]

    def get_booking(self, reference: str) -> BookingRecord | None:
        """The booking a parent quotes, however the reference was typed."""
        wanted = normalize_reference(reference)
        if wanted is None:
            return None
        with transaction(self._sessions) as session:
            row = session.execute(
                select(BookingRow).where(func.upper(BookingRow.reference) == wanted)
            ).scalar_one_or_none()
            return _booking(row) if row is not None else None

    def mark_contacted(self, reference: str, now: datetime | None = None) -> ContactResult:
        """Record the call-back once; marking again keeps the first time."""
        wanted = normalize_reference(reference)
        if wanted is None:
            return ContactResult(ContactOutcome.UNKNOWN, reference.strip())
        moment = now or _now()
        match = func.upper(BookingRow.reference) == wanted
        with transaction(self._sessions) as session:
            # Only a booking not yet contacted changes, so two staff marking it at
            # once still leave the first time recorded.
            changed = session.execute(
                update(BookingRow)
                .where(match, BookingRow.contacted_at.is_(None))
                .values(contacted_at=moment)
                .execution_options(synchronize_session=False)
            ).rowcount
            row = session.execute(select(BookingRow).where(match)).scalar_one_or_none()
            if row is None:
                return ContactResult(ContactOutcome.UNKNOWN, wanted)
            outcome = ContactOutcome.MARKED if changed else ContactOutcome.ALREADY
            return ContactResult(outcome, row.reference, as_utc(row.contacted_at))

    def purge(self, older_than_days: float, now: datetime | None = None) -> PurgeResult:
        """Delete bookings and handoffs older than the cutoff, with their sent notifications.

        A notification still pending is kept: it holds everything the clinic
        needs, and deleting it would mean the clinic never hears of the booking.
        """
        cutoff = _days_ago(older_than_days, now)
        old_keys = select(literal("booking:") + BookingRow.reference).where(
            BookingRow.created_at < cutoff
        )
        theirs: ColumnElement = NotificationRow.kind.in_(_PURGED_KINDS) & or_(
            NotificationRow.subject_key.in_(old_keys), NotificationRow.created_at < cutoff
        )
        with transaction(self._sessions) as session:
            pending_kept = session.execute(
                select(func.count(NotificationRow.id)).where(
                    theirs, NotificationRow.status == "pending"
                )
            ).scalar_one()
            notifications = session.execute(
                delete(NotificationRow)
                .where(theirs, NotificationRow.status == "sent")
                .execution_options(synchronize_session=False)
            ).rowcount
            bookings = session.execute(
                delete(BookingRow)
                .where(BookingRow.created_at < cutoff)
                .execution_options(synchronize_session=False)
            ).rowcount
            handoffs = session.execute(
                delete(HandoffRow)
                .where(HandoffRow.created_at < cutoff)
                .execution_options(synchronize_session=False)
            ).rowcount
        return PurgeResult(bookings, handoffs, notifications, pending_kept)

    def export_rows(
        self, since_days: float | None = None, not_contacted: bool = False
    ) -> list[dict[str, str]]:
        """Every matching booking as CSV cells, oldest first as a spreadsheet reads best."""
        bookings = self.list_bookings(since_days=since_days, not_contacted=not_contacted)
        return [export_row(booking) for booking in reversed(bookings)]

    def list_handoffs(
        self, since_days: float | None = None, limit: int | None = None, now: datetime | None = None
    ) -> list[HandoffRecord]:
        """Newest first: the families waiting for a person."""
        query = select(HandoffRow).order_by(HandoffRow.created_at.desc(), HandoffRow.id.desc())
        if since_days is not None:
            query = query.where(HandoffRow.created_at >= _days_ago(since_days, now))
        if limit is not None:
            query = query.limit(limit)
        with transaction(self._sessions) as session:
            return [_handoff(row) for row in session.execute(query).scalars()]
