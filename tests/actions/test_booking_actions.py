"""Booking actions run directly, with a real SQLite store behind them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import wiring
from actions.booking import ActionSubmitConsultation, ValidateConsultationForm, idempotency_key
from sprout.settings import get_settings

SLOTS = {
    "parent_name": "Maria",
    "child_name": "Leo",
    "child_age": "9 months",
    "contact": "maria@example.com",
    "visit_type": "in_home",
    "concern": "not crawling",
    "booking_confirmed": True,
}


def make_tracker(
    slots: dict[str, Any], form_started_at: float = 1000.0, sender: str = "s1"
) -> Tracker:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "active_loop", "name": "consultation_form", "timestamp": form_started_at},
        {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}},
    ]
    return Tracker(
        sender_id=sender,
        slots=slots,
        latest_message={"text": "yes", "intent": {"name": "affirm"}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "consultation_form"},
        latest_action_name="action_listen",
    )


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPROUT_DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    monkeypatch.setenv("SPROUT_NOTIFY_FILE", str(tmp_path / "notifications.jsonl"))
    get_settings.cache_clear()
    wiring.get_store.cache_clear()
    yield wiring.get_store()
    get_settings.cache_clear()
    wiring.get_store.cache_clear()


def submit(tracker: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSubmitConsultation().run(dispatcher, tracker, {}))
    return events, dispatcher


def test_retried_submit_stores_one_booking(store) -> None:
    first, _ = submit(make_tracker(SLOTS))
    again, dispatcher = submit(make_tracker(SLOTS))
    reference = next(e["value"] for e in first if e["name"] == "booking_reference")
    assert next(e["value"] for e in again if e["name"] == "booking_reference") == reference
    assert reference in dispatcher.messages[0]["text"]
    assert store.count_bookings() == 1


def test_a_new_form_run_is_a_new_booking(store) -> None:
    submit(make_tracker(SLOTS, form_started_at=1000.0))
    submit(make_tracker(SLOTS, form_started_at=2000.0))
    assert store.count_bookings() == 2


def test_nothing_is_stored_without_confirmation(store) -> None:
    events, dispatcher = submit(make_tracker({**SLOTS, "booking_confirmed": None}))
    assert events == [] and dispatcher.messages == []
    assert store.count_bookings() == 0


def test_database_down_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPROUT_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    wiring.get_store.cache_clear()
    try:
        events, dispatcher = submit(make_tracker(SLOTS))
    finally:
        get_settings.cache_clear()
        wiring.get_store.cache_clear()
    text = dispatcher.messages[0]["text"]
    assert get_settings().clinic.phone in text
    assert "could not be saved" in text and "SPR-" not in text
    assert all(e["name"] != "booking_reference" for e in events)


def test_idempotency_key_follows_the_form_run() -> None:
    assert idempotency_key(make_tracker(SLOTS, 5.0)) == idempotency_key(make_tracker(SLOTS, 5.0))
    assert idempotency_key(make_tracker(SLOTS, 5.0)) != idempotency_key(make_tracker(SLOTS, 6.0))
    assert idempotency_key(make_tracker(SLOTS, 5.0, "a")) != idempotency_key(
        make_tracker(SLOTS, 5.0, "b")
    )


@pytest.mark.parametrize(
    ("slot", "value", "accepted"),
    [
        ("child_age", "18mo", True),
        ("child_age", "banana", False),
        ("child_age", "25 years", False),
        ("contact", "(212) 555-0147", True),
        ("contact", "call me maybe", False),
        ("parent_name", "12345", False),
        ("concern", "ok", False),
    ],
)
def test_form_validation(slot: str, value: str, accepted: bool) -> None:
    dispatcher = CollectingDispatcher()
    validator = ValidateConsultationForm()
    result = getattr(validator, f"validate_{slot}")(value, dispatcher, make_tracker({}), {})
    assert (result[slot] is not None) is accepted
    assert bool(dispatcher.messages) is not accepted


def _message_tracker(text: str, intent: str, requested: str | None) -> Tracker:
    return Tracker(
        sender_id="s2",
        slots={"requested_slot": requested},
        latest_message={"text": text, "intent": {"name": intent}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "consultation_form"},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    ("text", "intent", "taken"),
    [
        ("maria@example.com", "faq", True),
        ("at home please", "faq", True),
        ("does insurance cover it?", "faq", False),
        ("what can you do", "help", False),
        ("never mind", "cancel", False),
        ("she's not breathing", "emergency", False),
        ("/book_consultation", "book_consultation", False),
        ("Leo", "greet", True),
    ],
)
def test_only_answers_fill_the_requested_slot(text: str, intent: str, taken: bool) -> None:
    validator = ValidateConsultationForm()
    result = validator._answer(_message_tracker(text, intent, "contact"), "contact")
    assert (result == {"contact": text}) is taken
