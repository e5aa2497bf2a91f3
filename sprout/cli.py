"""The staff command line: `sprout bookings ...`, `sprout handoffs list`, `sprout analytics ...`.

Exit codes: 0 done, 1 not found or could not be done (e.g. database down),
2 wrong usage. Errors are one plain sentence on stderr. Contact details are
printed for the staff member at the terminal, never logged.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sprout.retention import RetentionError
from sprout.retention import add_parser as add_conversations
from sprout.retention import run_purge as purge_old_conversations
from storage.staff import (
    EXPORT_FIELDS,
    BookingRecord,
    ContactOutcome,
    HandoffRecord,
    StaffDesk,
)

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2

DEFAULT_LIMIT = 50
# Long free text is cut in tables; `show` prints it whole.
MAX_CELL = 32

VISIT_LABELS = {"in_home": "in-home", "in_clinic": "in-clinic", "virtual": "virtual"}


class Failure(Exception):
    """A problem to report as one sentence, with the exit code that goes with it."""

    def __init__(self, message: str, code: int = EXIT_NOT_FOUND) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sentence rather than a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise Failure(f"{self.prog}: {message} (see '{self.prog} --help').", EXIT_USAGE)


# --- formatting -------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _cell(value: str | None) -> str:
    text = " ".join((value or "-").split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last column is not padded."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = []
    for cells in (headers, *rows):
        padded = [c.ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
        lines.append("  ".join([*padded, cells[-1]]))
    return "\n".join(lines)


def bookings_table(bookings: Sequence[BookingRecord]) -> str:
    headers = ("REFERENCE", "BOOKED (UTC)", "CONTACTED", "PARENT", "CHILD", "AGE", "VISIT")
    headers += ("THERAPY", "CONTACT")
    rows = [
        (
            b.reference,
            _when(b.created_at),
            _when(b.contacted_at) if b.contacted else "no",
            _cell(b.parent_name),
            _cell(b.child_name),
            _cell(b.child_age),
            VISIT_LABELS.get(b.visit_type, b.visit_type),
            (b.recommended_therapy or "-").upper(),
            _cell(b.contact),
        )
        for b in bookings
    ]
    return table(headers, rows)


def booking_details(b: BookingRecord) -> str:
    """Every field as `key: value`, the concern unshortened."""
    fields = [
        ("Reference", b.reference),
        ("Booked (UTC)", _when(b.created_at)),
        ("Contacted (UTC)", _when(b.contacted_at) if b.contacted else "not yet"),
        ("Parent", b.parent_name),
        ("Child", b.child_name),
        ("Child age", b.child_age),
        ("Contact", b.contact),
        ("Visit type", VISIT_LABELS.get(b.visit_type, b.visit_type)),
        ("Suggested therapy", (b.recommended_therapy or "none").upper()),
        ("Channel", b.channel or "-"),
        ("Concern", b.concern),
    ]
    width = max(len(key) for key, _ in fields) + 1
    return "\n".join(f"{key + ':':<{width}} {value}" for key, value in fields)


def handoffs_table(handoffs: Sequence[HandoffRecord]) -> str:
    headers = ("REQUESTED (UTC)", "CHANNEL", "CONVERSATION", "REASON")
    rows = [
        (_when(h.created_at), h.channel or "-", h.conversation_key, _cell(h.reason))
        for h in handoffs
    ]
    return table(headers, rows)


# --- commands ---------------------------------------------------------------


def bookings_list(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    bookings = desk.list_bookings(
        since_days=args.since, not_contacted=args.not_contacted, limit=args.limit
    )
    print(bookings_table(bookings) if bookings else "No bookings match.", file=out)
    return EXIT_OK


def bookings_show(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    booking = desk.get_booking(args.reference)
    if booking is None:
        raise Failure(f"No booking with reference {args.reference.strip()!r}.")
    print(booking_details(booking), file=out)
    return EXIT_OK


def bookings_export(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    rows = desk.export_rows(since_days=args.since, not_contacted=args.not_contacted)
    if args.output is None:
        _write_csv(rows, out)
        return EXIT_OK
    try:
        with Path(args.output).open("w", encoding="utf-8", newline="") as handle:
            _write_csv(rows, handle)
    except OSError as exc:
        raise Failure(f"Could not write {args.output}: {exc.strerror or exc}.") from exc
    print(f"Exported {len(rows)} booking(s) to {args.output}.", file=out)
    return EXIT_OK


def _write_csv(rows: Sequence[dict[str, str]], handle: TextIO) -> None:
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def bookings_mark_contacted(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    result = desk.mark_contacted(args.reference)
    if result.outcome is ContactOutcome.UNKNOWN:
        raise Failure(f"No booking with reference {args.reference.strip()!r}.")
    if result.outcome is ContactOutcome.ALREADY:
        print(
            f"{result.reference} was already marked contacted on "
            f"{_when(result.contacted_at)} UTC; nothing changed.",
            file=out,
        )
    else:
        print(f"Marked {result.reference} as contacted.", file=out)
    return EXIT_OK


def bookings_purge(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    result = desk.purge(args.older_than)
    print(
        f"Deleted {result.bookings} booking(s), {result.handoffs} handoff request(s) and "
        f"{result.notifications} sent notification(s) older than {args.older_than} day(s).",
        file=out,
    )
    if result.pending_kept:
        print(
            f"Kept {result.pending_kept} notification(s) not yet delivered to the clinic.",
            file=out,
        )
    return EXIT_OK


def handoffs_list(desk: StaffDesk, args: argparse.Namespace, out: TextIO) -> int:
    handoffs = desk.list_handoffs(since_days=args.since, limit=args.limit)
    print(handoffs_table(handoffs) if handoffs else "No handoff requests match.", file=out)
    return EXIT_OK


# --- arguments --------------------------------------------------------------


def _positive_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not days > 0 or days == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of days")
    return int(days) if days.is_integer() else days


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number above 0")
    return int(text)


Command = Callable[[StaffDesk, argparse.Namespace, TextIO], int]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sprout", description="Sprout's staff tools for bookings, handoffs and analytics."
    )
    parser.add_argument(
        "--database-url", help="database to use (default: SPROUT_DATABASE_URL or var/sprout.db)"
    )
    groups = parser.add_subparsers(
        dest="group", metavar="{bookings,handoffs,analytics,conversations}", required=True
    )

    bookings = groups.add_parser("bookings", help="consultation bookings")
    actions = bookings.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="recent bookings, newest first")
    _add_filters(listing)
    listing.add_argument("--limit", type=_positive_int, default=DEFAULT_LIMIT, metavar="N")
    listing.set_defaults(run=bookings_list)

    show = actions.add_parser("show", help="every detail of one booking")
    show.add_argument("reference", metavar="REF", help="e.g. SPR-7K3Q (prefix optional)")
    show.set_defaults(run=bookings_show)

    export = actions.add_parser("export", help="bookings as a spreadsheet file")
    export.add_argument("--csv", action="store_true", required=True, help="CSV with a header")
    export.add_argument("--output", metavar="FILE", help="write here instead of the terminal")
    _add_filters(export)
    export.set_defaults(run=bookings_export)

    mark = actions.add_parser("mark-contacted", help="record that the family was called back")
    mark.add_argument("reference", metavar="REF")
    mark.set_defaults(run=bookings_mark_contacted)

    purge = actions.add_parser("purge", help="delete old bookings and handoff requests")
    purge.add_argument(
        "--older-than", type=_positive_days, required=True, metavar="DAYS", dest="older_than"
    )
    purge.set_defaults(run=bookings_purge)

    handoffs = groups.add_parser("handoffs", help="requests to talk to a person")
    handoff_actions = handoffs.add_subparsers(dest="action", metavar="ACTION", required=True)
    handoff_list = handoff_actions.add_parser("list", help="recent handoff requests")
    handoff_list.add_argument("--since", type=_positive_days, metavar="DAYS")
    handoff_list.add_argument("--limit", type=_positive_int, default=DEFAULT_LIMIT, metavar="N")
    handoff_list.set_defaults(run=handoffs_list)

    from analytics.cli import add_parser as add_analytics  # its own database and broker

    add_analytics(groups)
    add_conversations(groups, _positive_days)  # Rasa's tracker store, not the bookings database
    return parser


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_positive_days, metavar="DAYS", help="last N days only")
    parser.add_argument(
        "--not-contacted", action="store_true", help="only families not yet called back"
    )


# --- entry point ------------------------------------------------------------


def _database_url(explicit: str | None) -> str:
    if explicit:
        return explicit
    from sprout.settings import get_settings  # read on demand, never at import time

    try:
        return get_settings().database_url
    except (OSError, ValueError) as exc:
        raise Failure(f"Could not read Sprout's settings: {exc}.") from exc


def _open_desk(url: str) -> StaffDesk:
    try:
        return StaffDesk.from_url(url)
    except ArgumentError as exc:
        raise Failure("The database URL is not valid.", EXIT_USAGE) from exc
    except (SQLAlchemyError, OSError) as exc:
        reason = _reason(exc)
        where = _safe_url(url)
        message = f"Could not open the database at {where} ({reason})." if reason else None
        raise Failure(message or f"Could not open the database at {where}.") from exc


def _reason(exc: BaseException) -> str:
    """The driver's first line (e.g. "Connection refused"), which quotes no row values."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0].rstrip(".") if lines else ""


def _safe_url(url: str) -> str:
    """The URL without its password, fit to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured URL"


def _run_analytics(args: argparse.Namespace, out: TextIO) -> int:
    from analytics.cli import Problem, run_analytics

    try:
        return run_analytics(args, args.database_url, out)
    except Problem as problem:
        raise Failure(str(problem), problem.code) from problem


def _run_conversations(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return purge_old_conversations(args, out)
    except RetentionError as problem:
        raise Failure(str(problem), problem.code) from problem


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one staff command; return its exit code instead of raising."""
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        if args.group == "analytics":
            return _run_analytics(args, out)
        if args.group == "conversations":
            return _run_conversations(args, out)
        url = _database_url(args.database_url)
        desk = _open_desk(url)
        try:
            command: Command = args.run
            return command(desk, args, out)
        except SQLAlchemyError as exc:
            # The exception text can quote row values (contact details): not shown.
            raise Failure(f"The database at {_safe_url(url)} could not be used.") from exc
        finally:
            desk.engine.dispose()
    except Failure as failure:
        print(str(failure), file=sys.stderr)
        return failure.code
    except BrokenPipeError:
        # Output piped into `head` or a pager that quit early: not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return EXIT_OK
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
