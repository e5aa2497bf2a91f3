"""The booking store on real databases: SQLite files and the machine's PostgreSQL."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage import BookingRequest, HandoffRequest, SqlBookingStore

POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def _postgres_available() -> bool:
    try:
        with create_engine(POSTGRES_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlBookingStore]:
    if request.param == "sqlite":
        yield SqlBookingStore.from_url(f"sqlite:///{tmp_path / 'nested' / 'bookings.db'}")
        return
    if not _postgres_available():
        pytest.fail("PostgreSQL at 127.0.0.1:5432 (db test) is required for these tests")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"create schema {schema}"))
    engine = create_engine(
        POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, future=True
    )
    try:
        yield SqlBookingStore(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


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
