"""Real databases for storage tests: a SQLite file, or a throwaway PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
KINDS = ["sqlite", "postgresql"]


def postgres_available() -> bool:
    try:
        with create_engine(POSTGRES_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of `kind`, removed afterwards."""
    if kind == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'db' / 'test.db'}", future=True)
        (tmp_path / "db").mkdir(exist_ok=True)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    if not postgres_available():
        pytest.fail("PostgreSQL at 127.0.0.1:5432 (db test) is required for these tests")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"create schema {schema}"))
    engine = create_engine(
        POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"}, future=True
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()
