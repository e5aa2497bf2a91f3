"""Engines and transactions shared by every store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def open_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created if needed."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, future=True, pool_pre_ping=True)


@contextmanager
def transaction(sessions: sessionmaker) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close."""
    session = sessions()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
