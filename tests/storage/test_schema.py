"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import storage.sms  # noqa: F401 - its tables are part of the schema
from storage import schema
from storage.tables import Base


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    schema.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'again.db'}")
    schema.upgrade(engine)
    schema.upgrade(engine)
    assert {"sprout_bookings", "sprout_handoffs", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
