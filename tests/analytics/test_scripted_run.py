"""A scripted week in miniature: real Rasa with a RabbitMQ event broker, the real
consumer and a fresh PostgreSQL database. The report must count exactly what the
script sent, and what the assistant did with it (read back from its tracker).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import aio_pika
import pytest

from analytics.consumer import BrokerSettings, ConsumeStats, consume
from analytics.redact import redact
from analytics.report import Period, Report, build_report
from analytics.store import EventStore
from tests.analytics.conftest import AMQP_URL, fresh_postgres_database, unique_name
from tests.support.bot_client import BotClient, Turn, faq_key
from tools.stack import running_stack

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.model, pytest.mark.server]

# What each conversation says, and what kind of turn each message is meant to be.
FAQ, FALLBACK, TRIAGE, BOOKING, CONFIRM, HANDOFF, OTHER = (
    "faq",
    "fallback",
    "triage",
    "booking",
    "confirm",
    "handoff",
    "other",
)
FALLBACK_MESSAGE = "qwzx vlorp bnnnt kk, maria.lopez@example.com"
SCRIPT: list[list[tuple[str, str]]] = [
    [("hello there", OTHER), ("does insurance cover PT?", FAQ), ("is it safe for newborns", FAQ)],
    [("whats the diffrence between physio and occupational therapy", FAQ), ("cost?", FAQ)],
    [(FALLBACK_MESSAGE, FALLBACK), ("how do we get started", FAQ)],
    [("my 2 year old can't walk up stairs and falls a lot", TRIAGE)],
    [
        ("I want to book a consultation", BOOKING),
        ("Maria Lopez", BOOKING),
        ("Leo", BOOKING),
        ("9 months", BOOKING),
        ("maria@example.com", BOOKING),
        ("at home please", BOOKING),
        ("he isn't crawling yet and hates tummy time", BOOKING),
        ("yes", CONFIRM),
    ],
    [("can I talk to a real person please", HANDOFF)],
]


@dataclass
class Observed:
    """What the assistant did with the script, read back from its trackers."""

    turns: list[tuple[str, Turn]] = field(default_factory=list)
    first_days: list[date] = field(default_factory=list)
    booking_days: list[date] = field(default_factory=list)
    consumed: ConsumeStats | None = None
    database_url: str = ""


def _day(event: dict) -> date:
    return datetime.fromtimestamp(event["timestamp"], tz=timezone.utc).date()


def _drive(bot: BotClient) -> Observed:
    observed = Observed()
    for conversation in SCRIPT:
        sender = bot.new_sender()
        for message, kind in conversation:
            turn = bot.say(sender, message)
            observed.turns.append((kind, turn))
            if kind == CONFIRM:
                observed.booking_days.append(_day(turn.events[-1]))
        first_user = next(e for e in bot.tracker(sender)["events"] if e["event"] == "user")
        observed.first_days.append(_day(first_user))
    return observed


async def _delete(broker: BrokerSettings) -> None:
    connection = await aio_pika.connect(broker.url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(broker.queue)
        await channel.exchange_delete(broker.exchange)


@pytest.fixture(scope="module")
def run(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Observed]:
    """Start the stack with a broker, play the script, consume until idle."""
    broker = BrokerSettings(
        url=AMQP_URL, queue=unique_name("sprout_test_events"), exchange=unique_name("sprout_test_x")
    )
    endpoints = (
        "event_broker:\n  type: pika\n  url: 127.0.0.1\n  port: 5672\n"
        "  username: guest\n  password: guest\n"
        f"  exchange_name: {broker.exchange}\n  queues:\n    - {broker.queue}\n"
    )
    tmp = tmp_path_factory.mktemp("analytics-run")
    databases = fresh_postgres_database()
    url = next(databases)
    store = EventStore.from_url(url)
    try:
        with running_stack(
            trained_model,
            env={"SPROUT_DATABASE_URL": f"sqlite:///{tmp / 'bookings.db'}"},
            log_dir=tmp,
            extra_endpoints=endpoints,
        ) as stack:
            observed = _drive(BotClient(stack.url, stack.token))
            observed.consumed = asyncio.run(consume(store, broker, idle_seconds=3.0))
        observed.database_url = url
        yield observed
    finally:
        store.dispose()
        asyncio.run(_delete(broker))
        next(databases, None)


def _report(observed: Observed) -> Report:
    store = EventStore.from_url(observed.database_url)
    try:
        now = datetime.now(timezone.utc)
        period = Period(now - timedelta(days=1), now + timedelta(minutes=1))
        return build_report(period, store.between(period.start, period.end))
    finally:
        store.dispose()


def _of(observed: Observed, kind: str) -> list[Turn]:
    return [turn for k, turn in observed.turns if k == kind]


def test_the_assistant_did_what_the_script_meant(run: Observed) -> None:
    """Guards the expectations below: each turn kind really happened."""
    for turn in _of(run, FAQ):
        assert turn.utter_actions[0] == f"utter_faq/{faq_key(turn.user['parse_data'])}"
    (fallback,) = _of(run, FALLBACK)
    assert fallback.intent == "nlu_fallback" and "utter_default" in fallback.utter_actions
    (triage,) = _of(run, TRIAGE)
    assert "action_suggest_therapy" in triage.actions
    (confirm,) = _of(run, CONFIRM)
    assert confirm.slots["booking_reference"]
    (handoff,) = _of(run, HANDOFF)
    assert "action_handoff_to_human" in handoff.actions


def test_every_event_was_stored_once(run: Observed) -> None:
    stats = run.consumed
    assert stats is not None and stats.received > 0
    assert stats.rejected == 0 and stats.duplicates == 0
    store = EventStore.from_url(run.database_url)
    try:
        assert store.count() == stats.stored
    finally:
        store.dispose()


def test_report_counts_exactly_what_was_sent(run: Observed) -> None:
    report = _report(run)
    assert report.conversations == len(SCRIPT)
    assert report.messages == sum(len(conversation) for conversation in SCRIPT)
    assert report.faq_topics == Counter(faq_key(t.user["parse_data"]) for t in _of(run, FAQ))
    assert report.faq_questions == sum(kind == FAQ for c in SCRIPT for _, kind in c)
    assert report.not_understood == sum(kind == FALLBACK for c in SCRIPT for _, kind in c)
    assert report.fallback_rate == report.not_understood / report.messages
    assert report.triage == Counter(t.slots["recommended_therapy"] for t in _of(run, TRIAGE))
    assert report.bookings == len(_of(run, CONFIRM))
    assert report.handoffs == len(_of(run, HANDOFF))
    assert report.conversations_per_day == Counter(run.first_days)
    assert report.bookings_per_day == Counter(run.booking_days)


def test_not_understood_messages_are_listed_redacted(run: Observed) -> None:
    report = _report(run)
    assert report.not_understood_texts == {redact(FALLBACK_MESSAGE): 1}
    assert "maria.lopez@example.com" not in redact(FALLBACK_MESSAGE)


def test_staff_command_prints_the_report_and_draws_the_chart(run: Observed, tmp_path: Path) -> None:
    chart = tmp_path / "week.png"
    since = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sprout",
            "--database-url",
            run.database_url,
            "analytics",
            "report",
            "--since",
            since,
            "--chart",
            str(chart),
        ],
        cwd=ROOT,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = _report(run)
    lines = result.stdout.splitlines()
    assert any(line.split() == ["Conversations", str(report.conversations)] for line in lines)
    assert any(line.split() == ["Bookings", str(report.bookings)] for line in lines)
    assert redact(FALLBACK_MESSAGE) in result.stdout
    assert "maria" not in result.stdout.lower()
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    from matplotlib.image import imread

    height, width, _ = imread(chart).shape
    assert width > 400 and height > 200
