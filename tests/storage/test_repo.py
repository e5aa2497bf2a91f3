"""The booking store on real databases: SQLite files and the machine's PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import BookingRequest, HandoffRequest, SqlBookingStore
from tests.support.databases import KINDS, database


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlBookingStore]:
    with database(request.param, tmp_path) as engine:
        yield SqlBookingStore(engine)


def request(key: str = "conv-1:100.0") -> BookingRequest:
    return BookingRequest(
        idempotency_key=key,
        parent_name="Maria",
        child_name="Leo",
        child_age="9 months",
        contact="+12125550147",
        visit_type="in_home",
        concern="not crawling yet",
        recommended_therapy="pt",
        channel="rest",
    )


def test_booking_gets_a_readable_reference(store: SqlBookingStore) -> None:
    stored = store.save_booking(request())
    assert stored.created
    assert re.fullmatch(r"SPR-[34679ACDEFGHJKMNPQRTUVWXY]{4}", stored.reference)
    assert store.find_booking("conv-1:100.0").request == request()


def test_same_submit_twice_stores_one_booking(store: SqlBookingStore) -> None:
    first = store.save_booking(request())
    second = store.save_booking(request())
    assert second.reference == first.reference
    assert not second.created
    assert store.count_bookings() == 1


def test_different_form_runs_are_different_bookings(store: SqlBookingStore) -> None:
    a = store.save_booking(request("conv-1:100.0"))
    b = store.save_booking(request("conv-1:200.0"))
    assert a.reference != b.reference
    assert store.count_bookings() == 2


def test_concurrent_duplicate_submits_store_one_booking(store: SqlBookingStore) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.save_booking(request("race:1.0")), range(16)))
    assert len({r.reference for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert store.count_bookings() == 1


def test_handoff_is_recorded(store: SqlBookingStore) -> None:
    store.save_handoff(HandoffRequest("conv-9", "rest", "wants a person"))
    with store._engine.connect() as conn:
        rows = conn.execute(text("select conversation_key, reason from sprout_handoffs")).all()
    assert rows == [("conv-9", "wants a person")]


def test_sqlite_file_and_folders_are_created_on_first_use(tmp_path: Path) -> None:
    target = tmp_path / "var" / "nested" / "sprout.db"
    store = SqlBookingStore.from_url(f"sqlite:///{target}")
    assert target.exists() and store.count_bookings() == 0
