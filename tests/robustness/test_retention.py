"""`sprout conversations purge` on conversations written by Rasa's own SQLTrackerStore."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from sprout.cli import main
from sprout.retention import purge_conversations
from tests.support.databases import KINDS, POSTGRES_URL, postgres_available

DAY = 86_400.0


@dataclass
class TrackerDb:
    store: SQLTrackerStore
    url: str

    def save(self, sender: str, *ages_in_days: float) -> None:
        """A conversation with one exchange at each age (days before now)."""
        now = time.time()
        events: list[Event] = []
        for age in ages_in_days:
            moment = now - age * DAY
            events += [
                UserUttered("my son Leo can't hold a spoon", timestamp=moment),
                ActionExecuted("utter_greet", timestamp=moment + 1),
                BotUttered("Thanks for telling me.", timestamp=moment + 2),
            ]
        tracker = DialogueStateTracker.from_events(sender, events)
        asyncio.run(self.store.save(tracker))

    def senders(self) -> set[str]:
        return set(asyncio.run(self.store.keys()))

    def events(self, sender: str) -> int:
        tracker = asyncio.run(self.store.retrieve_full_tracker(sender))
        return len(tracker.events) if tracker else 0


@pytest.fixture(params=KINDS)
def tracker_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TrackerDb]:
    """An empty tracker store of each kind, created by Rasa itself."""
    domain = Domain.empty()
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
        yield TrackerDb(store, f"sqlite:///{path}")
        store.engine.dispose()
        return
    if not postgres_available():
        pytest.fail("PostgreSQL at 127.0.0.1:5432 (db test) is required for these tests")
    name = f"sprout_tracker_{uuid.uuid4().hex[:10]}"
    store = SQLTrackerStore(
        domain,
        dialect="postgresql",
        host="127.0.0.1",
        port=5432,
        db=name,
        username="postgres",
        login_db="test",
    )
    try:
        yield TrackerDb(store, f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
    finally:
        store.engine.dispose()
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"drop database if exists {name} with (force)"))
        admin.dispose()


def test_idle_conversations_go_and_active_ones_stay_whole(tracker_db: TrackerDb) -> None:
    tracker_db.save("old", 400, 200)
    tracker_db.save("long-running", 300, 2)  # began long ago, still going
    tracker_db.save("recent", 1)
    before = tracker_db.events("long-running")

    out = io.StringIO()
    code = main(
        ["conversations", "purge", "--older-than", "90", "--tracker-db-url", tracker_db.url],
        out=out,
    )

    assert code == 0
    assert tracker_db.senders() == {"long-running", "recent"}
    assert tracker_db.events("long-running") == before
    assert out.getvalue().startswith("Deleted 1 conversation(s)")


def test_dry_run_counts_and_deletes_nothing(tracker_db: TrackerDb) -> None:
    tracker_db.save("old-1", 100)
    tracker_db.save("old-2", 120, 95)
    tracker_db.save("recent", 0.5)
    engine = create_engine(tracker_db.url)
    try:
        result = purge_conversations(engine, 30, dry_run=True)
        assert (result.conversations, result.events) == (2, 9)
        assert tracker_db.senders() == {"old-1", "old-2", "recent"}
        result = purge_conversations(engine, 30)
        assert (result.conversations, result.events) == (2, 9)
        assert tracker_db.senders() == {"recent"}
    finally:
        engine.dispose()


def test_retention_setting_is_the_default(
    tracker_db: TrackerDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker_db.save("ten-days", 10)
    tracker_db.save("two-days", 2)
    monkeypatch.setenv("SPROUT_TRACKER_DB_URL", tracker_db.url)
    monkeypatch.setenv("SPROUT_CONVERSATION_RETENTION_DAYS", "7")
    out = io.StringIO()
    assert main(["conversations", "purge"], out=out) == 0
    assert tracker_db.senders() == {"two-days"}
    assert "no activity for 7 day(s)" in out.getvalue()


@pytest.mark.parametrize(
    ("argv", "env", "code", "says"),
    [
        (["conversations", "purge", "--older-than", "5"], {}, 2, "SPROUT_TRACKER_DB_URL"),
        (["conversations", "purge"], {"SPROUT_TRACKER_DB_URL": "sqlite://"}, 2, "--older-than"),
        (
            ["conversations", "purge"],
            {"SPROUT_TRACKER_DB_URL": "sqlite://", "SPROUT_CONVERSATION_RETENTION_DAYS": "-3"},
            2,
            "positive",
        ),
        (["conversations", "purge", "--older-than", "0"], {}, 2, "positive"),
        (
            ["conversations", "purge", "--older-than", "5", "--tracker-db-url", "nonsense://"],
            {},
            2,
            "not valid",
        ),
        (
            ["conversations", "purge", "--older-than", "5", "--tracker-db-url", "sqlite://"],
            {},
            1,
            "no Rasa tracker table",
        ),
    ],
)
def test_wrong_usage_is_one_sentence(
    argv: list[str],
    env: dict[str, str],
    code: int,
    says: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("SPROUT_TRACKER_DB_URL", raising=False)
    monkeypatch.delenv("SPROUT_CONVERSATION_RETENTION_DAYS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
