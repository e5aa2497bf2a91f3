"""Applied events continued from a kept fold equal Rasa's walk from the first event."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from sprout import applied_events

FORMS = ["consultation_form", "other_form"]
ACTIONS = ["action_listen", "utter_greet", "action_suggest_therapy", *FORMS]

event_strategy = st.one_of(
    st.sampled_from(ACTIONS).map(ActionExecuted),
    st.sampled_from([*FORMS, None]).map(ActiveLoop),
    st.sampled_from(["greet", "inform", "faq"]).map(lambda i: UserUttered(i, {"name": i})),
    st.sampled_from(FORMS).map(ActionExecutionRejected),
    st.text(max_size=3).map(lambda v: SlotSet("child_age", v)),
    st.sampled_from([ActionReverted, UserUtteranceReverted, Restarted, SessionStarted]).map(
        lambda cls: cls()
    ),
)


def rasas(tracker: DialogueStateTracker) -> list[Event]:
    return applied_events._original_applied_events(tracker)


@settings(max_examples=400, deadline=None)
@given(
    start=st.lists(event_strategy, max_size=15),
    added=st.lists(st.lists(event_strategy, max_size=6), max_size=6),
)
def test_same_events_as_rasa_after_every_addition(
    start: list[Event], added: list[list[Event]]
) -> None:
    tracker = DialogueStateTracker.from_events("fold", start, [TextSlot("child_age", mappings=[])])
    for batch in [[], *added]:
        for event in batch:
            tracker.update(event)
        ours = applied_events.applied_events(tracker)
        assert [id(e) for e in ours] == [id(e) for e in rasas(tracker)]
        ours.clear()  # a caller changing the list does not change the next answer
    applied_events._folds.clear()


def test_a_tracker_whose_events_were_replaced_is_walked_again() -> None:
    first = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
    tracker = DialogueStateTracker.from_events("replaced", first, [])
    assert applied_events.applied_events(tracker) == first
    tracker.events.clear()
    tracker.update(ActionExecuted("utter_greet"))
    assert [e.action_name for e in applied_events.applied_events(tracker)] == ["utter_greet"]


def test_a_newly_activated_form_changes_earlier_steps_as_in_rasa() -> None:
    events = [
        ActionExecuted("consultation_form"),
        ActionExecuted("action_listen"),
        UserUttered("x", {"name": "inform"}),
        ActionExecuted("consultation_form"),
    ]
    tracker = DialogueStateTracker.from_events("forms", events, [])
    before = applied_events.applied_events(tracker)
    tracker.update(ActiveLoop("consultation_form"))  # earlier form steps now count as loop steps
    after = applied_events.applied_events(tracker)
    assert [id(e) for e in after] == [id(e) for e in rasas(tracker)]
    assert len(after) != len(before) + 1


def test_folds_end_with_their_tracker() -> None:
    tracker = DialogueStateTracker.from_events("short", [ActionExecuted("action_listen")], [])
    applied_events.applied_events(tracker)
    key = id(tracker)
    assert key in applied_events._folds
    del tracker
    assert key not in applied_events._folds
