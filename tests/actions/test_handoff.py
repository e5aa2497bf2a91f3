"""Handoff: the request reaches the team with context, and the parent hears what happens."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text

from actions import wiring
from actions.handoff import ActionHandoffToHuman, handoff_message
from sprout.settings import get_settings

MONDAY_MORNING = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # 10:00 in New York
SATURDAY = datetime(2026, 11, 28, 15, 0, tzinfo=timezone.utc)


def test_within_hours_says_who_replies_and_how() -> None:
    clinic = get_settings().clinic
    message = handoff_message(clinic, MONDAY_MORNING, "maria@example.com")
    assert clinic.phone in message and "maria@example.com" in message


def test_outside_hours_says_when_the_clinic_opens() -> None:
    clinic = get_settings().clinic
    message = handoff_message(clinic, SATURDAY, None)
    assert "Monday at 8:00" in message
    assert "book a free consultation" in message.lower()


def test_request_is_stored_with_the_transcript(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SPROUT_DATABASE_URL", f"sqlite:///{tmp_path / 'h.db'}")
    monkeypatch.setenv("SPROUT_NOTIFY_FILE", str(tmp_path / "notifications.jsonl"))
    get_settings.cache_clear()
    wiring.get_store.cache_clear()
    wiring.get_outbox.cache_clear()
    tracker = Tracker(
        sender_id="conv-7",
        slots={},
        latest_message={"text": "can I talk to someone", "intent": {"name": "human_handoff"}},
        events=[
            {"event": "user", "text": "does insurance cover PT?"},
            {"event": "bot", "text": "Most plans cover it with a referral."},
            {"event": "user", "text": "can I talk to someone"},
        ],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    try:
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionHandoffToHuman().run(dispatcher, tracker, {}))
        with wiring.get_store().engine.connect() as conn:
            row = conn.execute(
                text("select conversation_key, transcript from sprout_handoffs")
            ).one()
    finally:
        get_settings.cache_clear()
        wiring.get_store.cache_clear()
        wiring.get_outbox.cache_clear()
    assert row[0] == "conv-7"
    assert "Parent: does insurance cover PT?" in row[1]
    assert "Sprout: Most plans cover it with a referral." in row[1]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/book_consultation"
