"""Engines and transactions shared by every store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

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


_Repo = TypeVar("_Repo", bound="SqlRepository")


class SqlRepository:
    """Base of the stores: one engine, sessions from it, the schema migrated on open."""

    def __init__(self, engine: Engine) -> None:
        from storage import schema  # schema imports the tables; keep this module light

        self._engine = engine
        self._sessions = sessionmaker(bind=engine, future=True)
        schema.upgrade(engine)

    @classmethod
    def from_url(cls: type[_Repo], url: str) -> _Repo:
        """Open the store at a database URL (a SQLite file's folder is created)."""
        return cls(open_engine(url))

    @property
    def engine(self) -> Engine:
        return self._engine
