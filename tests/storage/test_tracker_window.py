"""Window selection, and the windowed store against Rasa's own full replay."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    LoopInterrupted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from storage.conversation_store import WindowedTrackerStore
from storage.tracker_window import (
    DEFAULT_KEEP_TURNS,
    EventKind,
    lean_older_messages,
    window_indices,
)
from tools.profiles import DEFAULT_ENDPOINTS

ROOT = Path(__file__).resolve().parents[2]
SLOTS = ("child_name", "child_age", "recommended_therapy", "requested_slot")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def kinds_of(events: list[Event]) -> list[EventKind]:
    result = []
    for event in events:
        key = getattr(event, "key", None) or getattr(event, "action_name", None)
        result.append(EventKind(event.type_name, key))
    return result


def session_head() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("clinic_phone", "555"),
        ActionExecuted("action_listen"),
    ]


def turn(number: int, *extra: Event) -> list[Event]:
    return [
        UserUttered(f"message {number}", {"name": "faq"}),
        *extra,
        BotUttered(f"answer {number}"),
        ActionExecuted("action_listen"),
    ]


def test_short_session_is_kept_whole() -> None:
    events = session_head() + [e for n in range(5) for e in turn(n)]
    assert window_indices(kinds_of(events), keep_turns=12) == list(range(len(events)))


def test_long_session_keeps_state_and_recent_turns() -> None:
    events = session_head()
    events += turn(0, SlotSet("child_name", "Leo"), ActiveLoop("consultation_form"))
    events += turn(1, SlotSet("child_name", "Ava"))
    events += [e for n in range(2, 30) for e in turn(n)]
    kept = [events[i] for i in window_indices(kinds_of(events), keep_turns=3)]

    texts = [e.text for e in kept if isinstance(e, UserUttered)]
    assert texts == ["message 27", "message 28", "message 29"]
    assert kept[:4] == session_head()
    names = [e.value for e in kept if isinstance(e, SlotSet) and e.key == "child_name"]
    assert names == ["Ava"]  # only the latest value of a slot is carried
    assert any(isinstance(e, ActiveLoop) for e in kept)


def test_only_the_latest_session_is_used() -> None:
    events = session_head() + turn(0) + session_head() + turn(1)
    kept = [events[i] for i in window_indices(kinds_of(events), keep_turns=12)]
    assert [e.text for e in kept if isinstance(e, UserUttered)] == ["message 1"]


def test_events_that_cannot_be_carried_keep_the_whole_session() -> None:
    events = session_head() + turn(0, AllSlotsReset())
    events += [e for n in range(1, 30) for e in turn(n)]
    assert window_indices(kinds_of(events), keep_turns=3) == list(range(len(events)))


def full_and_windowed(domain: Domain, events: list[Event], keep_turns: int):
    """The tracker Rasa would rebuild from every event, and the one the store hands out."""
    full = DialogueStateTracker.from_events("parent", events, domain.slots)
    store = WindowedTrackerStore(domain, keep_turns=keep_turns)
    asyncio.run(store.save(full))
    windowed = asyncio.run(store.retrieve("parent"))
    return full, windowed, store


slot_event = st.builds(
    SlotSet, st.sampled_from(SLOTS), st.one_of(st.none(), st.sampled_from(["a", "b", "pt"]))
)
loop_event = st.one_of(
    st.builds(ActiveLoop, st.sampled_from(["consultation_form", None])),
    st.builds(LoopInterrupted, st.booleans()),
)
turn_extras = st.lists(st.one_of(slot_event, loop_event), max_size=4)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extras=st.lists(turn_extras, min_size=1, max_size=25), keep=st.integers(1, 6))
def test_windowed_tracker_has_the_full_replays_state(
    domain: Domain, extras: list[list[Event]], keep: int
) -> None:
    events = session_head() + [e for n, extra in enumerate(extras) for e in turn(n, *extra)]
    full, windowed, _ = full_and_windowed(domain, events, keep)

    assert windowed.current_slot_values() == full.current_slot_values()
    assert windowed.active_loop_name == full.active_loop_name
    assert windowed.is_active_loop_interrupted == full.is_active_loop_interrupted
    assert windowed.latest_message.text == full.latest_message.text
    assert windowed.latest_action_name == full.latest_action_name


def test_saving_appends_and_the_full_history_stays(domain: Domain) -> None:
    events = session_head() + [e for n in range(20) for e in turn(n)]
    full, windowed, store = full_and_windowed(domain, events, keep_turns=4)
    assert len(windowed.events) < len(full.events)

    for event in turn(20, SlotSet("child_age", "2")):
        windowed.update(event)
    asyncio.run(store.save(windowed))
    asyncio.run(store.save(windowed))  # saving the same tracker again adds nothing twice

    everything = asyncio.run(store.retrieve_full_tracker("parent"))
    assert len(everything.events) == len(events) + len(turn(20, SlotSet("child_age", "2")))
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == [
        f"message {n}" for n in range(21)
    ]
    latest = asyncio.run(store.retrieve("parent"))
    assert latest.get_slot("child_age") == "2"
    assert store.session_event_count("parent") == len(everything.events)


def classified(number: int) -> UserUttered:
    """A parent message with the rankings Rasa's classifiers attach."""
    ranking = [{"name": "faq", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}]
    return UserUttered(
        f"message {number}",
        {"name": "faq", "confidence": 0.9},
        [{"entity": "age", "value": "2"}],
        {
            "intent_ranking": ranking,
            "response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/fees"}]}},
        },
        message_id=f"id-{number}",
    )


def test_earlier_messages_lose_only_their_rankings() -> None:
    events = [classified(n).as_dict() for n in range(3)]
    lean = lean_older_messages([dict(e) for e in events])
    for before, after in zip(events[:-1], lean[:-1], strict=True):
        assert "intent_ranking" not in after["parse_data"]
        assert "response_selector" not in after["parse_data"]
        for key in ("intent", "entities", "text", "message_id"):
            assert after["parse_data"][key] == before["parse_data"][key]
        assert after["text"] == before["text"]
    assert lean[-1] == events[-1]


def test_the_window_carries_rankings_only_for_the_latest_message(domain: Domain) -> None:
    events = session_head()
    for n in range(8):
        events += [classified(n), BotUttered(f"answer {n}"), ActionExecuted("action_listen")]
    store = WindowedTrackerStore(domain, keep_turns=4)
    asyncio.run(store.save(DialogueStateTracker.from_events("parent", events, domain.slots)))

    windowed = asyncio.run(store.retrieve("parent"))
    users = [e for e in windowed.events if isinstance(e, UserUttered)]
    assert [u.text for u in users] == [f"message {n}" for n in range(4, 8)]
    assert all("intent_ranking" not in u.parse_data for u in users[:-1])
    assert [u.intent_name for u in users] == ["faq"] * 4
    assert all(u.entities == [{"entity": "age", "value": "2"}] for u in users)
    assert windowed.latest_message.parse_data["intent_ranking"][0]["name"] == "faq"
    everything = asyncio.run(store.retrieve_full_tracker("parent"))
    assert all(
        "intent_ranking" in e.parse_data for e in everything.events if isinstance(e, UserUttered)
    )


def test_unknown_conversation_is_none(domain: Domain) -> None:
    store = WindowedTrackerStore(domain)
    assert asyncio.run(store.retrieve("nobody")) is None
    assert asyncio.run(store.retrieve_full_tracker("nobody")) is None


class CollectingBroker(EventBroker):
    """An event broker that keeps what it is sent, in order."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


def test_each_event_is_published_once(domain: Domain) -> None:
    broker = CollectingBroker()
    store = WindowedTrackerStore(domain, event_broker=broker, keep_turns=2)
    tracker = DialogueStateTracker.from_events("parent", session_head(), domain.slots)
    asyncio.run(store.save(tracker))
    for number in range(8):
        tracker = asyncio.run(store.retrieve("parent"))
        for event in turn(number, SlotSet("child_age", str(number))):
            tracker.update(event)
            asyncio.run(store.save(tracker))  # Rasa may save one tracker several times
        if number == 5:  # a new session starts inside a long conversation
            for event in session_head():
                tracker.update(event)
            asyncio.run(store.save(tracker))

    everything = asyncio.run(store.retrieve_full_tracker("parent"))
    assert [e["timestamp"] for e in broker.published] == [e.timestamp for e in everything.events]
    assert len(everything.events) == len(session_head()) * 2 + 8 * len(turn(0, SlotSet("a", 1)))


@pytest.mark.parametrize(
    "endpoints_yaml",
    [(ROOT / "endpoints.yml").read_text(encoding="utf-8"), DEFAULT_ENDPOINTS],
    ids=["endpoints.yml", "default-profile"],
)
def test_rasa_builds_the_windowed_store_from_the_endpoints(
    domain: Domain, endpoints_yaml: str
) -> None:
    # Rasa falls back to its plain in-memory store, with only a warning, when the
    # configured class cannot be imported: make sure it really is ours.
    config = EndpointConfig.from_dict(yaml.safe_load(endpoints_yaml)["tracker_store"])
    store = TrackerStore.create(config, domain)
    assert isinstance(store, WindowedTrackerStore)
    assert store.keep_turns == DEFAULT_KEEP_TURNS == 6
