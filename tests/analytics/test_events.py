"""Broker messages in the shape Rasa's PikaEventBroker publishes them."""

from __future__ import annotations

import json

import pytest

from analytics.events import Unusable, record_from


def body(**event: object) -> bytes:
    return json.dumps({"sender_id": "parent-1", "timestamp": 1_764_400_000.25, **event}).encode()


def test_faq_question_keeps_intent_topic_and_redacted_text() -> None:
    parse_data = {
        "intent": {"name": "faq", "confidence": 0.98},
        "response_selector": {
            "faq": {"response": {"intent_response_key": "faq/insurance"}, "ranking": []}
        },
    }
    record = record_from(
        body(event="user", text="I'm Maria, does insurance cover it?", parse_data=parse_data)
    )
    assert record is not None
    assert (record.event_type, record.intent, record.faq_topic) == ("user", "faq", "insurance")
    assert "Maria" not in (record.text or "")
    assert record.occurred_at.year == 2025


def test_action_and_outcome_slots_are_kept_other_slots_are_not() -> None:
    action = record_from(body(event="action", name="action_handoff_to_human", policy="rule"))
    assert action is not None and action.name == "action_handoff_to_human"
    slot = record_from(body(event="slot", name="booking_reference", value="SPR-7K3Q"))
    assert slot is not None and (slot.name, slot.value) == ("booking_reference", "SPR-7K3Q")
    assert record_from(body(event="slot", name="contact", value="maria@example.com")) is None
    assert record_from(body(event="bot", text="Hello Maria")) is None
    assert record_from(body(event="session_started")).event_type == "session_started"


def test_same_message_twice_has_the_same_identity() -> None:
    first = record_from(body(event="action", name="utter_greet"))
    again = record_from(body(event="action", name="utter_greet"))
    other = record_from(body(event="action", name="utter_goodbye"))
    assert first == again
    assert first.digest != other.digest


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        json.dumps({"event": "user", "timestamp": 1.0}).encode(),
        json.dumps({"sender_id": "a", "timestamp": 1.0}).encode(),
        json.dumps({"sender_id": "a", "event": "user"}).encode(),
        json.dumps({"sender_id": "a", "event": "user", "timestamp": "yesterday"}).encode(),
        b'{"sender_id": "a", "event": "user", "timestamp": NaN}',
    ],
)
def test_messages_that_are_not_rasa_events_are_unusable(raw: bytes) -> None:
    with pytest.raises(Unusable):
        record_from(raw)


def test_odd_parse_data_does_not_crash() -> None:
    record = record_from(body(event="user", text="hi", parse_data={"intent": "greet"}))
    assert record is not None and record.intent is None and record.faq_topic is None
