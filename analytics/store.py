"""Writing events exactly once, and reading a period back for the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError

from analytics.events import EventRecord
from analytics.tables import events, metadata

_UPSERT_DIALECTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
KEY = ["sender_id", "timestamp", "event_type", "digest"]
# Rows per INSERT: 10 columns each stays under SQLite's oldest limit of 999 parameters.
CHUNK = 90


class EventStore:
    """The analytics table in one database; created on first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    @classmethod
    def from_url(cls, url: str) -> EventStore:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return cls(create_engine(url, future=True, pool_pre_ping=True))

    def add(self, records: Sequence[EventRecord]) -> int:
        """Store the records in one transaction; returns how many were new.

        A record already stored (a redelivered message) is skipped by the unique
        key, so the caller may acknowledge the whole batch once this returns.
        """
        if not records:
            return 0
        rows = [r.as_row() for r in records]
        with self.engine.begin() as conn:
            insert = _UPSERT_DIALECTS.get(conn.dialect.name)
            if insert is not None:
                added = 0
                for start in range(0, len(rows), CHUNK):
                    statement = (
                        insert(events)
                        .values(rows[start : start + CHUNK])
                        .on_conflict_do_nothing(index_elements=KEY)
                    )
                    added += conn.execute(statement).rowcount
                return added
            return _add_one_by_one(conn, rows)

    def between(self, start: datetime, end: datetime) -> list[EventRecord]:
        """Events with start <= time < end, in the order they happened per conversation."""
        query = (
            select(events)
            .where(events.c.occurred_at >= start, events.c.occurred_at < end)
            .order_by(events.c.sender_id, events.c.timestamp, events.c.id)
        )
        with self.engine.connect() as conn:
            return [
                EventRecord(
                    sender_id=row.sender_id,
                    event_type=row.event_type,
                    timestamp=row.timestamp,
                    digest=row.digest,
                    name=row.name,
                    intent=row.intent,
                    faq_topic=row.faq_topic,
                    text=row.text,
                    value=row.value,
                )
                for row in conn.execute(query)
            ]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events)).scalar_one()

    def dispose(self) -> None:
        self.engine.dispose()


def _add_one_by_one(conn: Connection, rows: list[dict]) -> int:
    """Other databases: a savepoint per row turns a duplicate into a no-op."""
    added = 0
    for row in rows:
        try:
            with conn.begin_nested():
                conn.execute(events.insert(), row)
            added += 1
        except IntegrityError:
            continue
    return added
