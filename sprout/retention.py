"""How long conversations are kept, and the purge of older ones.

Rasa's SQLTrackerStore keeps every event of every conversation (what parents
typed, slot values) in one table, `events`, forever. A conversation is purged
as a whole once its *latest* event is older than the retention period, so an
ongoing conversation never loses its beginning. Bookings and handoff requests
live in Sprout's own database and have their own purge (`sprout bookings purge`).

Settings: SPROUT_TRACKER_DB_URL (the tracker store's database, any SQLAlchemy
URL) and SPROUT_CONVERSATION_RETENTION_DAYS (the default for --older-than).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import column, create_engine, delete, func, inspect, select, table
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

EVENTS_TABLE = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent
RETENTION_ENV = "SPROUT_CONVERSATION_RETENTION_DAYS"
TRACKER_DB_ENV = "SPROUT_TRACKER_DB_URL"
# Conversations deleted per statement: keeps each transaction and IN list small.
BATCH = 500

_events = table(EVENTS_TABLE, column("sender_id"), column("timestamp"))


class RetentionError(Exception):
    """Something to tell the operator in one sentence, with the exit code that goes with it."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int
    dry_run: bool


def retention_days(env: Mapping[str, str] | None = None) -> float | None:
    """SPROUT_CONVERSATION_RETENTION_DAYS, or None when it is not set."""
    raw = ((os.environ if env is None else env).get(RETENTION_ENV) or "").strip()
    if not raw:
        return None
    try:
        days = float(raw)
    except ValueError:
        raise RetentionError(f"{RETENTION_ENV} must be a number of days, not {raw!r}.", 2) from None
    if not 0 < days < float("inf"):
        raise RetentionError(f"{RETENTION_ENV} must be a positive number of days, not {raw!r}.", 2)
    return days


def tracker_db_url(env: Mapping[str, str] | None = None) -> str | None:
    return ((os.environ if env is None else env).get(TRACKER_DB_ENV) or "").strip() or None


def purge_conversations(
    engine: Engine, older_than_days: float, *, dry_run: bool = False, now: float | None = None
) -> PurgeResult:
    """Delete every conversation whose last event is older than `older_than_days`."""
    if not inspect(engine).has_table(EVENTS_TABLE):
        raise RetentionError(f"There is no Rasa tracker table ({EVENTS_TABLE!r}) in that database.")
    cutoff = (time.time() if now is None else now) - older_than_days * 86_400
    idle = (
        select(_events.c.sender_id)
        .group_by(_events.c.sender_id)
        .having(func.max(_events.c.timestamp) < cutoff)
    )
    with engine.connect() as conn:
        senders = [row[0] for row in conn.execute(idle)]
    conversations = events = 0
    for start in range(0, len(senders), BATCH):
        batch = senders[start : start + BATCH]
        chosen = _events.c.sender_id.in_(batch)
        if dry_run:
            with engine.connect() as conn:
                events += conn.execute(select(func.count()).where(chosen)).scalar_one()
            conversations += len(batch)
            continue
        with engine.begin() as conn:
            # Re-checked inside the transaction: a conversation that came back
            # to life since the first query is kept.
            alive = select(_events.c.sender_id).where(chosen, _events.c.timestamp >= cutoff)
            keep = {row[0] for row in conn.execute(alive)}
            gone = [sender for sender in batch if sender not in keep]
            if gone:
                events += conn.execute(
                    delete(_events).where(_events.c.sender_id.in_(gone))
                ).rowcount
            conversations += len(gone)
    return PurgeResult(conversations, events, dry_run)


def open_tracker_db(url: str) -> Engine:
    return create_engine(url, future=True)


# --- `sprout conversations purge` (wired into sprout/cli.py) ---------------------

EXIT_USAGE = 2


def add_parser(groups: argparse._SubParsersAction, days_type: Callable[[str], float]) -> None:
    """The `conversations` command group of the staff command line."""
    conversations = groups.add_parser("conversations", help="chat history in Rasa's tracker store")
    actions = conversations.add_subparsers(dest="action", metavar="ACTION", required=True)
    purge = actions.add_parser("purge", help="delete conversations with no activity for DAYS")
    purge.add_argument(
        "--older-than",
        type=days_type,
        metavar="DAYS",
        dest="older_than",
        help=f"default: {RETENTION_ENV}",
    )
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    purge.add_argument("--tracker-db-url", metavar="URL", help=f"default: {TRACKER_DB_ENV}")


def run_purge(args: argparse.Namespace, out: TextIO) -> int:
    """Purge and print one line; problems are RetentionError sentences with an exit code."""
    url = args.tracker_db_url or tracker_db_url()
    if not url:
        raise RetentionError(
            f"Say where the conversations are: {TRACKER_DB_ENV} or --tracker-db-url.", EXIT_USAGE
        )
    days = args.older_than or retention_days()
    if days is None:
        raise RetentionError(f"Say how old: --older-than DAYS or {RETENTION_ENV}.", EXIT_USAGE)
    try:
        engine = open_tracker_db(url)
    except ArgumentError as exc:
        raise RetentionError("The tracker database URL is not valid.", EXIT_USAGE) from exc
    try:
        result = purge_conversations(engine, days, dry_run=args.dry_run)
    except SQLAlchemyError as exc:
        # The driver's first line (e.g. "Connection refused") quotes no row values.
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = f" ({cause[0].rstrip('.')})" if cause else ""
        where = make_url(url).render_as_string(hide_password=True)
        raise RetentionError(f"Could not use the tracker database at {where}{reason}.") from exc
    finally:
        engine.dispose()
    verb = "Would delete" if result.dry_run else "Deleted"
    print(
        f"{verb} {result.conversations} conversation(s) ({result.events} event(s)) "
        f"with no activity for {days:g} day(s).",
        file=out,
    )
    return 0
