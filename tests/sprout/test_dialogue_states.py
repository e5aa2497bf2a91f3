"""Dialogue states from a kept replay equal Rasa's full replay, question by question."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent, load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from sprout import dialogue_states
from tests.e2e.test_long_conversation import CYCLE
from tools.stack import Stack

RULE_ONLY = {"slots": ["requested_slot"], "loops": ["consultation_form"]}
ASKED = [(False, None), (True, None), (True, RULE_ONLY)]


class Compared:
    """Every question the policies ask, answered both ways; Rasa's answer is used."""

    def __init__(self) -> None:
        self.asked = 0
        self.differing: list[Any] = []

    def __call__(
        self,
        domain: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[Any]:
        args = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        theirs = dialogue_states._original_states(domain, tracker, *args)
        ours = dialogue_states.states_for_tracker_history(domain, tracker, *args)
        self.asked += 1
        if ours != theirs:
            self.differing.append((args, ours, theirs))
        return copy.deepcopy(theirs)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[Compared]:
    check = Compared()
    monkeypatch.setattr(
        Domain, "states_for_tracker_history", lambda domain, *a, **kw: check(domain, *a, **kw)
    )
    yield check
    dialogue_states._replays.clear()


async def test_same_states_as_rasa_through_whole_conversations(
    trained_model: Path, stack: Stack, compared: Compared
) -> None:
    action = EndpointConfig(url=f"{stack.action_url}/webhook")
    agent: Agent = await load_agent(str(trained_model), endpoints=AvailableEndpoints(action=action))
    script = [
        *CYCLE,
        "qwzx plmokn",  # the fallback reverts the message
        *CYCLE[2:6],
        "actually stop, never mind",  # leaving the form part way
        "can I talk to a person?",
        "/restart",
        *CYCLE[:3],
    ]
    for text in script:
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), "states"))
    assert compared.asked > 3 * len(script)
    assert compared.differing == []


def test_rewinds_and_restarts_start_the_replay_again(trained_model: Path) -> None:
    domain = Agent.load(str(trained_model)).domain
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        SlotSet("child_age", "2"),
        ActionExecuted("action_listen"),
    ]
    tracker = DialogueStateTracker.from_events("rewind", events, domain.slots)
    later = [
        UserUttered("my son is two", {"name": "inform", "confidence": 0.9}),
        ActionReverted(),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        Restarted(),
        ActionExecuted("action_listen"),
    ]
    for event in [None, *later]:
        if event is not None:
            tracker.update(event)
        for ignore, rule_only in ASKED:
            theirs = dialogue_states._original_states(domain, tracker, False, ignore, rule_only)
            ours = dialogue_states.states_for_tracker_history(
                domain, tracker, False, ignore, rule_only
            )
            assert ours == theirs
            ours[-1].clear()  # a caller changing its states does not change the next answer
    dialogue_states._replays.clear()


def test_replays_end_with_their_tracker(trained_model: Path) -> None:
    domain = Agent.load(str(trained_model)).domain
    tracker = DialogueStateTracker.from_events(
        "short", [ActionExecuted("action_listen")], domain.slots
    )
    dialogue_states.states_for_tracker_history(domain, tracker)
    assert id(tracker) in dialogue_states._replays
    key = id(tracker)
    del tracker
    assert key not in dialogue_states._replays
