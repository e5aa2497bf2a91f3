"""Checking each event against its own type's schema gives the whole schema's verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from sprout.action_replies import ReplyCheck

SCHEMA = RemoteAction.action_response_format_spec()
FULL = validator_for(SCHEMA)(SCHEMA)
CHECK = ReplyCheck(SCHEMA)
BRANCHES = SCHEMA["properties"]["events"]["items"]["oneOf"]
EVENT_NAMES = [branch["properties"]["event"]["const"] for branch in BRANCHES]

REAL_EVENTS = [
    SlotSet("child_age", "2 years").as_dict(),
    SlotSet("requested_slot", None).as_dict(),
    ActiveLoop("consultation_form").as_dict(),
    ActiveLoop(None).as_dict(),
    BotUttered("Hello!", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}).as_dict(),
    ActionExecuted("action_listen").as_dict(),
    FollowupAction("action_handoff").as_dict(),
    UserUttered(
        "my son is 9 months",
        {"name": "inform", "confidence": 0.93},
        [{"entity": "age", "value": "9 months", "start": 10, "end": 18}],
    ).as_dict(),
    Restarted().as_dict(),
    SessionStarted().as_dict(),
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=5)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def generated_event(draw: st.DrawFn) -> Any:
    """An event of a schema type with random values for that type's fields (often invalid)."""
    branch = draw(st.sampled_from(BRANCHES))
    fields = sorted(branch["properties"])
    event: dict[str, Any] = {"event": branch["properties"]["event"]["const"]}
    for name in draw(st.lists(st.sampled_from(fields), max_size=len(fields), unique=True)):
        event[name] = draw(values)
    return event


@st.composite
def mutated_real_event(draw: st.DrawFn) -> Any:
    """A real event, sometimes with one field removed, retyped or renamed."""
    event = dict(draw(st.sampled_from(REAL_EVENTS)))
    change = draw(st.sampled_from(["none", "drop", "retype", "rename"]))
    key = draw(st.sampled_from(sorted(event)))
    if change == "drop":
        del event[key]
    elif change == "retype":
        event[key] = draw(values)
    elif change == "rename":
        event["event"] = draw(st.sampled_from([*EVENT_NAMES, "no_such_event", ""]))
    return event


events = st.one_of(generated_event(), mutated_real_event(), values)
replies = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "events": st.lists(events, max_size=3) | values,
            "responses": st.lists(values, max_size=2) | values,
        },
    ),
    values,
)


def test_the_shortcut_is_taken_for_rasas_schema() -> None:
    assert CHECK.by_event is not None
    assert sorted(CHECK.by_event) == sorted(EVENT_NAMES)


@settings(max_examples=1500, deadline=None)
@given(reply=replies)
def test_same_verdict_as_the_whole_schema(reply: Any) -> None:
    assert CHECK.is_valid(reply) == FULL.is_valid(reply)


@settings(max_examples=800, deadline=None)
@given(
    real=st.lists(st.sampled_from(REAL_EVENTS), max_size=4),
    changed=mutated_real_event(),
    position=st.integers(0, 4),
)
def test_same_verdict_for_a_real_reply_with_one_event_changed(
    real: list[dict[str, Any]], changed: dict[str, Any], position: int
) -> None:
    reply = {"events": [*real[:position], changed, *real[position:]], "responses": []}
    assert CHECK.is_valid(reply) == FULL.is_valid(reply)


def test_real_replies_pass_and_broken_ones_fail() -> None:
    valid = {"events": REAL_EVENTS, "responses": [{"text": "Hi"}]}
    assert CHECK.is_valid(valid) and FULL.is_valid(valid)
    for broken in (
        {"events": [{"event": "slot", "value": 1}]},  # a slot event needs a name
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"text": "no event field"}]},
        {"events": [{"event": "user", "parse_data": "not an object"}]},
        {"responses": ["not an object"]},
    ):
        assert not CHECK.is_valid(broken)
        assert not FULL.is_valid(broken)


def test_a_schema_of_another_shape_is_checked_whole() -> None:
    schema = {
        "type": "object",
        "properties": {"events": {"type": "array", "items": {"anyOf": [{"type": "object"}]}}},
    }
    check = ReplyCheck(schema)
    assert check.by_event is None
    assert check.is_valid({"events": [{}]})
    assert not check.is_valid({"events": [1]})
