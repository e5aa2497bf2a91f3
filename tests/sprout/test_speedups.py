"""The speed-ups give exactly Rasa's answers: same validation verdicts, same event classes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from sprout import speedups


@pytest.fixture
def applied() -> Iterator[None]:
    assert speedups.apply()
    yield
    speedups.remove()


def action() -> RemoteAction:
    return RemoteAction("action_suggest_therapy", None)


VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "recommended_therapy", "value": "pt"}], "responses": []},
    {"events": [SlotSet("child_age", "2").as_dict()], "responses": [{"text": "hi"}]},
]
INVALID = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": [1, 2]},
]


@pytest.mark.parametrize("reply", VALID)
def test_valid_replies_pass_as_before(applied: None, reply: dict) -> None:
    assert action()._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", INVALID)
def test_invalid_replies_fail_as_before(reply: dict) -> None:
    with pytest.raises(ValidationError) as stock:
        action()._validate_action_result(reply)
    speedups.apply()
    try:
        with pytest.raises(ValidationError) as ours:
            action()._validate_action_result(reply)
    finally:
        speedups.remove()
    assert ours.value.message == stock.value.message


def test_every_event_name_resolves_to_rasas_class(applied: None) -> None:
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None) and cls.type_name != "event":
            speedups.remove()
            expected = Event.resolve_by_type(cls.type_name)
            speedups.apply()
            assert Event.resolve_by_type(cls.type_name) is expected
            assert Event.resolve_by_type(cls.type_name) is expected  # and from the cache


def test_unknown_event_names_behave_as_before(applied: None) -> None:
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None


def test_events_round_trip_with_the_speedups(applied: None) -> None:
    event = SlotSet("child_name", "Leo")
    assert Event.from_parameters(event.as_dict()) == event
