"""The analytics table: one row per stored event, unique per delivery-independent key."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite

# Its own MetaData: these tables are created by the consumer, independent of the
# booking schema's migrations, and may live in another database.
metadata = MetaData()

# SQLite only auto-increments a plain INTEGER primary key.
_ID = BigInteger().with_variant(sqlite.INTEGER(), "sqlite")

events = Table(
    "analytics_events",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False),
    Column("event_type", String(32), nullable=False),
    # Rasa's own timestamp (seconds since the epoch), part of the identity of an event.
    Column("timestamp", Float(precision=53), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("name", String(120)),
    Column("intent", String(120)),
    Column("faq_topic", String(120)),
    # User messages only, redacted before storing.
    Column("text", Text),
    Column("value", String(120)),
    UniqueConstraint("sender_id", "timestamp", "event_type", "digest", name="uq_analytics_event"),
    Index("ix_analytics_events_occurred_at", "occurred_at"),
)
