"""The staff command line, run as staff run it: `python -m sprout ...` on a real SQLite file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from storage import BookingRequest, HandoffRequest, SqlBookingStore
from storage.staff import EXPORT_FIELDS
from storage.tables import BookingRow, HandoffRow

ROOT = Path(__file__).resolve().parents[2]

MARIA = BookingRequest(
    idempotency_key="conv-1:100.0",
    parent_name="Maria Lopez",
    child_name="Leo",
    child_age="9 months",
    contact="+12125550147",
    visit_type="in_home",
    concern="not crawling yet",
    recommended_therapy="pt",
    channel="rest",
)
SAM = BookingRequest(
    idempotency_key="conv-2:200.0",
    parent_name="Sam Chen",
    child_name="Ava",
    child_age="3 years",
    contact="sam@example.org",
    visit_type="virtual",
    concern="trouble holding a crayon",
    recommended_therapy="ot",
    channel="sms",
)


@pytest.fixture
def store(tmp_path: Path) -> SqlBookingStore:
    return SqlBookingStore.from_url(f"sqlite:///{tmp_path / 'var' / 'sprout.db'}")


def sprout(store: SqlBookingStore, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh process against the store's database file."""
    env = {**os.environ, "SPROUT_DATABASE_URL": str(store.engine.url)}
    return subprocess.run(
        [sys.executable, "-m", "sprout", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def ok(store: SqlBookingStore, *args: str) -> str:
    """Stdout of a command that must succeed quietly (nothing on stderr)."""
    result = sprout(store, *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def backdate(store: SqlBookingStore, table: type, days: float, **where: str) -> None:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    columns = table.__table__.c
    with store.engine.begin() as conn:
        statement = update(table.__table__).values(created_at=when)
        for name, value in where.items():
            statement = statement.where(columns[name] == value)
        conn.execute(statement)


def count(store: SqlBookingStore, table: type) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table.__table__)).scalar_one()


def listed_references(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines()[1:]]


def test_list_shows_each_booking_in_aligned_columns(store: SqlBookingStore) -> None:
    maria = store.save_booking(MARIA).reference
    sam = store.save_booking(SAM).reference
    backdate(store, BookingRow, days=1, reference=maria)

    output = ok(store, "bookings", "list")

    header, *rows = output.splitlines()
    assert header.split()[0] == "REFERENCE"
    assert listed_references(output) == [sam, maria]
    assert "Maria Lopez" in rows[1]
    assert "+12125550147" in rows[1]
    assert "sam@example.org" in rows[0]
    for column in ("PARENT", "CONTACT"):
        start = header.index(column)
        assert rows[0][start - 1] == " " and rows[0][start] != " ", column
        assert rows[1][start - 1] == " " and rows[1][start] != " ", column


def test_list_on_an_empty_database_says_so(store: SqlBookingStore) -> None:
    assert ok(store, "bookings", "list").strip() == "No bookings match."


def test_list_since_leaves_out_older_bookings(store: SqlBookingStore) -> None:
    maria = store.save_booking(MARIA).reference
    sam = store.save_booking(SAM).reference
    backdate(store, BookingRow, days=10, reference=maria)

    assert listed_references(ok(store, "bookings", "list", "--since", "7")) == [sam]


def test_show_prints_every_field(store: SqlBookingStore) -> None:
    reference = store.save_booking(MARIA).reference

    output = ok(store, "bookings", "show", reference.removeprefix("SPR-").lower())

    fields = dict(line.split(":", 1) for line in output.splitlines())
    fields = {key: value.strip() for key, value in fields.items()}
    assert fields["Reference"] == reference
    assert fields["Parent"] == "Maria Lopez"
    assert fields["Child"] == "Leo"
    assert fields["Child age"] == "9 months"
    assert fields["Contact"] == "+12125550147"
    assert fields["Visit type"] == "in-home"
    assert fields["Concern"] == "not crawling yet"
    assert fields["Contacted (UTC)"] == "not yet"


def test_export_csv_has_a_header_and_one_row_per_booking(store: SqlBookingStore) -> None:
    maria = store.save_booking(MARIA).reference
    sam = store.save_booking(SAM).reference
    backdate(store, BookingRow, days=1, reference=maria)

    rows = list(csv.DictReader(io.StringIO(ok(store, "bookings", "export", "--csv"))))

    assert [tuple(row) for row in rows] == [EXPORT_FIELDS, EXPORT_FIELDS]
    by_reference = {row["reference"]: row for row in rows}
    assert list(by_reference) == [maria, sam]
    assert by_reference[maria]["contact"] == "+12125550147"
    assert by_reference[maria]["parent_name"] == "Maria Lopez"
    assert by_reference[sam]["contact"] == "sam@example.org"
    assert by_reference[sam]["concern"] == "trouble holding a crayon"
    assert by_reference[sam]["contacted_at"] == ""


def test_export_csv_to_a_file(store: SqlBookingStore, tmp_path: Path) -> None:
    reference = store.save_booking(MARIA).reference
    target = tmp_path / "bookings.csv"

    output = ok(store, "bookings", "export", "--csv", "--output", str(target))

    assert "Exported 1 booking" in output
    assert "+12125550147" not in output
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["reference"], row["child_name"]) for row in rows] == [(reference, "Leo")]


def test_mark_contacted_then_not_contacted_list_excludes_it(store: SqlBookingStore) -> None:
    maria = store.save_booking(MARIA).reference
    sam = store.save_booking(SAM).reference

    assert f"Marked {maria} as contacted" in ok(store, "bookings", "mark-contacted", maria)

    assert listed_references(ok(store, "bookings", "list", "--not-contacted")) == [sam]
    assert sorted(listed_references(ok(store, "bookings", "list"))) == sorted([maria, sam])


def test_mark_contacted_twice_says_it_already_was(store: SqlBookingStore) -> None:
    reference = store.save_booking(MARIA).reference
    ok(store, "bookings", "mark-contacted", reference)

    again = ok(store, "bookings", "mark-contacted", reference.lower())

    assert "already marked contacted" in again
    assert reference in again


def test_purge_removes_only_old_rows(store: SqlBookingStore) -> None:
    old = store.save_booking(MARIA).reference
    new = store.save_booking(SAM).reference
    store.save_handoff(HandoffRequest("conv-old", "sms", "old question"))
    store.save_handoff(HandoffRequest("conv-new", "rest", "new question"))
    backdate(store, BookingRow, days=100, reference=old)
    backdate(store, HandoffRow, days=100, conversation_key="conv-old")

    output = ok(store, "bookings", "purge", "--older-than", "90")

    assert "Deleted 1 booking(s), 1 handoff request(s)" in output
    assert listed_references(ok(store, "bookings", "list")) == [new]
    assert count(store, BookingRow) == 1
    assert count(store, HandoffRow) == 1
    assert "conv-new" in ok(store, "handoffs", "list")


def test_handoffs_list_shows_each_request(store: SqlBookingStore) -> None:
    store.save_handoff(HandoffRequest("conv-42", "sms", "wants to talk about insurance"))

    header, row = ok(store, "handoffs", "list").splitlines()

    assert header.split()[:2] == ["REQUESTED", "(UTC)"]
    assert "conv-42" in row
    assert "sms" in row
    assert "wants to talk about insurance" in row


@pytest.mark.parametrize("action", ["show", "mark-contacted"])
def test_unknown_reference_is_a_plain_not_found(store: SqlBookingStore, action: str) -> None:
    store.save_booking(MARIA)

    result = sprout(store, "bookings", action, "SPR-XXXX")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "No booking with reference 'SPR-XXXX'."


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["bookings"],
        ["appointments", "list"],
        ["bookings", "show"],
        ["bookings", "export"],
        ["bookings", "purge"],
        ["bookings", "purge", "--older-than", "0"],
        ["bookings", "purge", "--older-than", "soon"],
        ["bookings", "list", "--since", "-2"],
        ["handoffs", "list", "--limit", "x"],
    ],
)
def test_bad_usage_exits_2_with_one_sentence(store: SqlBookingStore, args: list[str]) -> None:
    reference = store.save_booking(MARIA).reference
    backdate(store, BookingRow, days=100, reference=reference)

    result = sprout(store, *args)

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert count(store, BookingRow) == 1


def test_an_unreachable_database_is_one_sentence_without_the_password(
    store: SqlBookingStore,
) -> None:
    url = "postgresql+psycopg2://staff:hunter2@127.0.0.1:1/test"

    result = sprout(store, "--database-url", url, "bookings", "list")

    assert result.returncode == 1
    assert result.stderr.startswith("Could not open the database at")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_contact_details_never_reach_stderr(store: SqlBookingStore, tmp_path: Path) -> None:
    reference = store.save_booking(MARIA).reference
    runs = [
        ("bookings", "list"),
        ("bookings", "show", reference),
        ("bookings", "export", "--csv", "--output", str(tmp_path / "x.csv")),
        ("bookings", "mark-contacted", reference),
        ("bookings", "purge", "--older-than", "1"),
    ]
    for args in runs:
        result = sprout(store, *args)
        assert result.returncode == 0, args
        assert "+12125550147" not in result.stderr, args
