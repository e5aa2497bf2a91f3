"""Staff queries and maintenance on real databases: a SQLite file and the machine's PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from storage import BookingRequest, HandoffRequest, SqlBookingStore
from storage.outbox import Outbox
from storage.staff import (
    EXPORT_FIELDS,
    ContactOutcome,
    StaffDesk,
    normalize_reference,
    spreadsheet_safe,
)
from storage.tables import BookingRow, HandoffRow, NotificationRow
from tests.support.databases import KINDS, database

POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@dataclass
class Db:
    """The booking store (to add rows as the assistant does) and the staff desk on one database."""

    store: SqlBookingStore
    desk: StaffDesk
    engine: Engine


@pytest.fixture(params=KINDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    with database(request.param, tmp_path) as engine:
        yield Db(SqlBookingStore(engine), StaffDesk(engine), engine)


def booking(key: str, parent: str = "Maria", contact: str = "+12125550147") -> BookingRequest:
    return BookingRequest(
        idempotency_key=key,
        parent_name=parent,
        child_name="Leo",
        child_age="9 months",
        contact=contact,
        visit_type="in_home",
        concern="not crawling yet",
        recommended_therapy="pt",
        channel="rest",
    )


def age_booking(db: Db, reference: str, days: float) -> None:
    """Move a booking (not its notification) into the past, as if made `days` ago."""
    when = datetime.now(timezone.utc) - timedelta(days=days)
    with db.engine.begin() as conn:
        conn.execute(
            update(BookingRow.__table__)
            .where(BookingRow.__table__.c.reference == reference)
            .values(created_at=when)
        )


def age_handoffs(db: Db, conversation_key: str, days: float) -> None:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    with db.engine.begin() as conn:
        conn.execute(
            update(HandoffRow.__table__)
            .where(HandoffRow.__table__.c.conversation_key == conversation_key)
            .values(created_at=when)
        )


def notification_status(db: Db, subject_key: str) -> str | None:
    with db.engine.connect() as conn:
        return conn.execute(
            select(NotificationRow.__table__.c.status).where(
                NotificationRow.__table__.c.subject_key == subject_key
            )
        ).scalar_one_or_none()


def mark_notification_sent(db: Db, subject_key: str) -> None:
    with db.engine.connect() as conn:
        notification_id = conn.execute(
            select(NotificationRow.__table__.c.id).where(
                NotificationRow.__table__.c.subject_key == subject_key
            )
        ).scalar_one()
    Outbox(db.engine).mark_sent(notification_id)


@pytest.mark.parametrize(
    "typed", ["SPR-7K3Q", "spr-7k3q", "7k3q", " 7K3Q ", "SPR7K3Q", "spr 7k3q", "Spr-7K3q"]
)
def test_references_are_read_the_way_staff_type_them(typed: str) -> None:
    assert normalize_reference(typed) == "SPR-7K3Q"


@pytest.mark.parametrize("typed", ["", "   ", "SPR-", "spr"])
def test_an_empty_reference_is_nothing_to_look_up(typed: str) -> None:
    assert normalize_reference(typed) is None


def test_list_is_newest_first_with_every_field(db: Db) -> None:
    old = db.store.save_booking(booking("k-old", parent="Ann")).reference
    new = db.store.save_booking(booking("k-new", parent="Bea", contact="bea@example.org"))
    age_booking(db, old, days=3)

    listed = db.desk.list_bookings()

    assert [b.reference for b in listed] == [new.reference, old]
    assert listed[0].parent_name == "Bea"
    assert listed[0].contact == "bea@example.org"
    assert listed[0].created_at.tzinfo is not None
    assert not listed[0].contacted


def test_list_since_days_leaves_out_older_bookings(db: Db) -> None:
    old = db.store.save_booking(booking("k-old")).reference
    recent = db.store.save_booking(booking("k-recent")).reference
    age_booking(db, old, days=10)

    assert [b.reference for b in db.desk.list_bookings(since_days=7)] == [recent]
    assert len(db.desk.list_bookings(since_days=30)) == 2


def test_list_not_contacted_leaves_out_called_back_families(db: Db) -> None:
    called = db.store.save_booking(booking("k-called")).reference
    waiting = db.store.save_booking(booking("k-waiting")).reference
    db.desk.mark_contacted(called)

    assert [b.reference for b in db.desk.list_bookings(not_contacted=True)] == [waiting]


def test_list_limit_keeps_the_newest(db: Db) -> None:
    refs = [db.store.save_booking(booking(f"k-{i}")).reference for i in range(3)]
    for days, ref in zip((3, 2, 1), refs, strict=True):
        age_booking(db, ref, days=days)

    assert [b.reference for b in db.desk.list_bookings(limit=2)] == [refs[2], refs[1]]


def test_get_booking_accepts_any_case_and_a_missing_prefix(db: Db) -> None:
    reference = db.store.save_booking(booking("k-1")).reference
    code = reference.removeprefix("SPR-")

    for typed in (reference, reference.lower(), code, code.lower(), f" {code} "):
        found = db.desk.get_booking(typed)
        assert found is not None, typed
        assert found.reference == reference
        assert found.concern == "not crawling yet"


def test_get_unknown_booking_is_none(db: Db) -> None:
    db.store.save_booking(booking("k-1"))
    assert db.desk.get_booking("SPR-XXXX") is None
    assert db.desk.get_booking("") is None


def test_mark_contacted_records_the_first_call_only(db: Db) -> None:
    reference = db.store.save_booking(booking("k-1")).reference
    first_call = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)

    marked = db.desk.mark_contacted(reference.lower(), now=first_call)
    again = db.desk.mark_contacted(reference, now=first_call + timedelta(days=1))

    assert marked.outcome is ContactOutcome.MARKED
    assert marked.reference == reference
    assert again.outcome is ContactOutcome.ALREADY
    assert again.contacted_at == first_call
    assert db.desk.get_booking(reference).contacted_at == first_call


def test_mark_contacted_unknown_reference_changes_nothing(db: Db) -> None:
    reference = db.store.save_booking(booking("k-1")).reference

    result = db.desk.mark_contacted("SPR-XXXX")

    assert result.outcome is ContactOutcome.UNKNOWN
    assert result.reference == "SPR-XXXX"
    assert not db.desk.get_booking(reference).contacted


def test_purge_removes_only_old_bookings_and_handoffs(db: Db) -> None:
    old = db.store.save_booking(booking("k-old")).reference
    new = db.store.save_booking(booking("k-new")).reference
    age_booking(db, old, days=40)
    db.store.save_handoff(HandoffRequest("conv-old", "sms", "old question"))
    db.store.save_handoff(HandoffRequest("conv-new", "rest", "new question"))
    age_handoffs(db, "conv-old", days=40)

    result = db.desk.purge(older_than_days=30)

    assert (result.bookings, result.handoffs) == (1, 1)
    assert [b.reference for b in db.desk.list_bookings()] == [new]
    assert [h.conversation_key for h in db.desk.list_handoffs()] == ["conv-new"]


def test_purge_deletes_sent_notifications_and_keeps_pending_ones(db: Db) -> None:
    sent = db.store.save_booking(booking("k-sent")).reference
    pending = db.store.save_booking(booking("k-pending")).reference
    young = db.store.save_booking(booking("k-young")).reference
    mark_notification_sent(db, f"booking:{sent}")
    mark_notification_sent(db, f"booking:{young}")
    age_booking(db, sent, days=40)
    age_booking(db, pending, days=40)

    result = db.desk.purge(older_than_days=30)

    assert result.bookings == 2
    assert result.notifications == 1
    assert result.pending_kept == 1
    assert notification_status(db, f"booking:{sent}") is None
    # Never delivered yet: the clinic must still hear about it.
    assert notification_status(db, f"booking:{pending}") == "pending"
    # Sent, but its booking is recent: kept with the booking.
    assert notification_status(db, f"booking:{young}") == "sent"


def test_purge_deletes_old_sent_handoff_notifications(db: Db) -> None:
    db.store.save_handoff(HandoffRequest("conv-old", "sms", "old question"))
    with db.engine.begin() as conn:
        table = NotificationRow.__table__
        conn.execute(
            update(table)
            .where(table.c.kind == "handoff")
            .values(status="sent", created_at=datetime.now(timezone.utc) - timedelta(days=40))
        )
    age_handoffs(db, "conv-old", days=40)

    result = db.desk.purge(older_than_days=30)

    assert (result.handoffs, result.notifications) == (1, 1)
    with db.engine.connect() as conn:
        assert conn.execute(select(NotificationRow.__table__.c.id)).all() == []


@pytest.mark.parametrize("days", [0, -1])
def test_purge_refuses_a_cutoff_that_is_not_in_the_past(db: Db, days: float) -> None:
    db.store.save_booking(booking("k-1"))
    with pytest.raises(ValueError):
        db.desk.purge(older_than_days=days)
    assert len(db.desk.list_bookings()) == 1


def test_export_rows_hold_every_field_oldest_first(db: Db) -> None:
    first = db.store.save_booking(booking("k-1", parent="Ann")).reference
    second = db.store.save_booking(booking("k-2", parent="Bea", contact="bea@example.org"))
    age_booking(db, first, days=2)
    db.desk.mark_contacted(first)

    rows = db.desk.export_rows()

    assert [tuple(row) for row in rows] == [EXPORT_FIELDS, EXPORT_FIELDS]
    assert [row["reference"] for row in rows] == [first, second.reference]
    assert rows[0]["contact"] == "+12125550147"
    assert rows[0]["contacted_at"] != ""
    assert rows[1]["contacted_at"] == ""
    assert rows[1]["contact"] == "bea@example.org"
    assert rows[1]["visit_type"] == "in_home"
    assert datetime.fromisoformat(rows[1]["created_at"]).tzinfo is not None


def test_export_rows_follow_the_filters(db: Db) -> None:
    called = db.store.save_booking(booking("k-called")).reference
    waiting = db.store.save_booking(booking("k-waiting")).reference
    db.desk.mark_contacted(called)

    assert [r["reference"] for r in db.desk.export_rows(not_contacted=True)] == [waiting]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
        ("+12125550147", "+12125550147"),
        ("+1 (212) 555-0147", "+1 (212) 555-0147"),
        ("not crawling yet", "not crawling yet"),
    ],
)
def test_export_cells_cannot_run_as_spreadsheet_formulas(cell: str, expected: str) -> None:
    assert spreadsheet_safe(cell) == expected


def test_handoffs_are_listed_newest_first_and_filtered_by_age(db: Db) -> None:
    db.store.save_handoff(HandoffRequest("conv-old", "sms", "old", "user: hello"))
    db.store.save_handoff(HandoffRequest("conv-new", "rest", "insurance question"))
    age_handoffs(db, "conv-old", days=5)

    everything = db.desk.list_handoffs()
    recent = db.desk.list_handoffs(since_days=2)

    assert [h.conversation_key for h in everything] == ["conv-new", "conv-old"]
    assert everything[1].transcript == "user: hello"
    assert everything[1].channel == "sms"
    assert [h.reason for h in recent] == ["insurance question"]


def test_staff_operations_log_no_contact_details(db: Db, caplog: pytest.LogCaptureFixture) -> None:
    contact = "private.parent@example.org"
    reference = db.store.save_booking(booking("k-1", contact=contact)).reference
    with caplog.at_level(logging.DEBUG):
        db.desk.list_bookings()
        db.desk.get_booking(reference)
        db.desk.export_rows()
        db.desk.mark_contacted(reference)
        db.desk.purge(older_than_days=1)
    assert contact not in caplog.text


def test_a_fresh_database_is_migrated_on_open(tmp_path: Path) -> None:
    desk = StaffDesk.from_url(f"sqlite:///{tmp_path / 'new' / 'sprout.db'}")
    assert desk.list_bookings() == []
    assert desk.list_handoffs() == []
