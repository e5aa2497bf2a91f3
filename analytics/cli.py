"""`sprout analytics consume` and `sprout analytics report`: argument parsing and output.

Same conventions as the rest of the staff command line: exit 0 done, 1 could not
be done (broker or database unreachable), 2 wrong usage; errors are one sentence.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from aiormq.exceptions import AMQPError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from analytics.consumer import DEFAULT_BATCH, DEFAULT_EXCHANGE, DEFAULT_QUEUE, BrokerSettings, run
from analytics.report import DEFAULT_UNDERSTOOD_LIMIT, Period, build_report, render, week_period
from analytics.store import EventStore

DEFAULT_AMQP_URL = "amqp://guest:guest@localhost:5672/"
REPORT_DAYS = 7
_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


class Problem(Exception):
    """One sentence for stderr and the exit code that goes with it."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# --- argument types -----------------------------------------------------------


def iso_week(text: str) -> Period:
    match = _WEEK.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a week such as 2026-W48")
    try:
        return week_period(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a week of that year") from None


def day(text: str) -> datetime:
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-23") from None
    return parsed.replace(tzinfo=timezone.utc)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def count(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number above 0")
    return int(text)


def add_parser(groups: argparse._SubParsersAction) -> None:
    """The `analytics` group of the `sprout` command."""
    analytics = groups.add_parser("analytics", help="conversation statistics from the event stream")
    actions = analytics.add_subparsers(dest="action", metavar="ACTION", required=True)

    consume = actions.add_parser("consume", help="store events from RabbitMQ in the database")
    when = consume.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="stop when the queue is empty")
    when.add_argument(
        "--until-idle", type=seconds, metavar="SECONDS", help="stop after SECONDS without events"
    )
    consume.add_argument("--amqp-url", help="RabbitMQ (default: SPROUT_RABBITMQ_URL or localhost)")
    consume.add_argument("--queue", help=f"queue to read (default: {DEFAULT_QUEUE})")
    consume.add_argument(
        "--exchange", help=f"fanout exchange Rasa publishes to (default: {DEFAULT_EXCHANGE})"
    )
    consume.add_argument("--batch", type=count, default=DEFAULT_BATCH, metavar="N")
    consume.set_defaults(analytics=consume_command)

    report = actions.add_parser("report", help="the weekly report (last 7 days by default)")
    period = report.add_mutually_exclusive_group()
    period.add_argument("--week", type=iso_week, metavar="YYYY-Www", help="one ISO week (UTC)")
    period.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="from this day (UTC)")
    report.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="up to this day, included")
    report.add_argument("--chart", metavar="FILE.png", help="also draw the daily chart here")
    report.add_argument(
        "--limit",
        type=count,
        default=DEFAULT_UNDERSTOOD_LIMIT,
        metavar="N",
        help="messages not understood to list",
    )
    report.set_defaults(analytics=report_command)


# --- commands -----------------------------------------------------------------


def _safe_amqp(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def consume_command(store: EventStore, args: argparse.Namespace, out: TextIO) -> int:
    broker = BrokerSettings(
        url=args.amqp_url or os.environ.get("SPROUT_RABBITMQ_URL") or DEFAULT_AMQP_URL,
        queue=args.queue or os.environ.get("SPROUT_ANALYTICS_QUEUE") or DEFAULT_QUEUE,
        exchange=args.exchange or os.environ.get("SPROUT_ANALYTICS_EXCHANGE") or DEFAULT_EXCHANGE,
    )
    try:
        stats = run(
            store,
            broker,
            until_empty=args.once,
            idle_seconds=args.until_idle,
            batch_size=args.batch,
        )
    except (OSError, asyncio.TimeoutError, AMQPError) as exc:
        detail = str(exc).strip().splitlines()[0] if isinstance(exc, OSError) and str(exc) else ""
        reason = detail or type(exc).__name__
        raise Problem(f"Could not use RabbitMQ at {_safe_amqp(broker.url)} ({reason}).") from exc
    print(stats.summary(), file=out)
    return 0


def _period(args: argparse.Namespace, now: datetime) -> Period:
    if args.week is not None:
        if args.until is not None:
            raise Problem("--until goes with --since, not with --week.", 2)
        return args.week
    end = args.until + timedelta(days=1) if args.until is not None else now
    start = args.since if args.since is not None else end - timedelta(days=REPORT_DAYS)
    if start >= end:
        raise Problem("The report period is empty: --since must come before --until.", 2)
    return Period(start, end)


def report_command(store: EventStore, args: argparse.Namespace, out: TextIO) -> int:
    period = _period(args, datetime.now(timezone.utc))
    report = build_report(period, store.between(period.start, period.end))
    print(render(report, limit=args.limit), file=out)
    if args.chart:
        from analytics.chart import save_chart

        try:
            path = save_chart(report, Path(args.chart))
        except (OSError, ValueError) as exc:
            raise Problem(f"Could not write the chart to {args.chart}: {exc}.") from exc
        print(f"\nChart written to {path}.", file=out)
    return 0


# --- entry point ----------------------------------------------------------------


def database_url(explicit: str | None) -> str:
    """--database-url, else SPROUT_ANALYTICS_DATABASE_URL, else the bookings database."""
    from sprout.settings import DEFAULT_DATABASE_URL

    return (
        explicit
        or os.environ.get("SPROUT_ANALYTICS_DATABASE_URL")
        or os.environ.get("SPROUT_DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )


def _safe_db(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured URL"


def run_analytics(args: argparse.Namespace, explicit_url: str | None, out: TextIO) -> int:
    """Open the analytics tables and run one command; Problem carries any failure."""
    url = database_url(explicit_url)
    command: Callable[[EventStore, argparse.Namespace, TextIO], int] = args.analytics
    try:
        store = EventStore.from_url(url)
    except ArgumentError as exc:
        raise Problem("The database URL is not valid.", 2) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise Problem(f"Could not open the database at {_safe_db(url)}.") from exc
    try:
        return command(store, args, out)
    except SQLAlchemyError as exc:
        raise Problem(f"The database at {_safe_db(url)} could not be used.") from exc
    finally:
        store.dispose()
