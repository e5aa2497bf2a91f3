"""A conversation's dialogue states, replayed once per message instead of once per question.

The policies decide the next action from the conversation's states: one per action
so far, built by replaying every event on an empty copy of the tracker. Rasa replays
the whole conversation each time a policy asks, and within one message they ask
several times (the rule policy twice for the first action, the memoization policy
once, then both again after every action that runs), each time from the start. That
was about a sixth of the Rasa server's CPU per message, and the part that grows with
the length of the conversation window.

Here each tracker's replay is kept while the tracker lives, with what Rasa reads at
every step: the state and the few flags its rule-only bookkeeping looks at. A later
question about the same tracker replays only the events added since, as long as the
earlier events are still exactly the same objects in the same order; anything else
(an undo, a rewind, a different domain) starts the replay again. The states are then
put together exactly as Rasa's `Domain.states_for_tracker_history` does, from copies,
so callers may change what they receive.

Two Rasa events change the latest user message in place (the choice between its text
and its intent, and added entities). Both take effect only straight after that message,
before any action, so no recorded step can show the message as it was before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from sprout.per_tracker import continues, keep

_original_states = Domain.states_for_tracker_history


@dataclass(frozen=True)
class Step:
    """What Rasa reads from the replayed tracker just before one action (or at the end)."""

    state: State
    previous_action: dict[str, Any] | None
    followup_action: str | None
    action_is_active_loop: bool
    hide_rule_turn: bool


def _step(domain: Domain, replay: DialogueStateTracker, hide_rule_turn: bool) -> Step:
    return Step(
        state=domain.get_active_state(replay),
        previous_action=domain._get_prev_action_sub_state(replay),
        followup_action=replay.followup_action,
        action_is_active_loop=replay.latest_action_name == replay.active_loop_name,
        hide_rule_turn=hide_rule_turn,
    )


@dataclass
class Replay:
    """One tracker's events replayed so far, and the steps recorded on the way."""

    domain: Domain
    tracker: DialogueStateTracker
    events: list[Event] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def catch_up(self, applied: list[Event]) -> list[Step]:
        """Replay the new events; the steps before every action, then the current one."""
        for event in applied[len(self.events) :]:
            if isinstance(event, ActionExecuted):
                self.steps.append(_step(self.domain, self.tracker, event.hide_rule_turn))
            self.tracker.update(event)
            self.events.append(event)
        return [*self.steps, _step(self.domain, self.tracker, False)]


_replays: dict[int, Replay] = {}


def _replay_for(domain: Domain, tracker: DialogueStateTracker, applied: list[Event]) -> Replay:
    """This tracker's kept replay if `applied` continues it, else a new one."""
    replay = _replays.get(id(tracker))
    if replay is not None and replay.domain is domain and continues(applied, replay.events):
        return replay
    return keep(_replays, tracker, Replay(domain, tracker.init_copy()))


def states_from_steps(
    domain: Domain,
    steps: list[Step],
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> list[State]:
    """The body of Rasa's `states_for_tracker_history`, over recorded steps."""
    states: list[State] = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for step in steps:
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = step.previous_action
            if not step.followup_action and not step.action_is_active_loop:
                turn_was_hidden = step.hide_rule_turn
            if turn_was_hidden:
                continue
        state = {kind: dict(sub_state) for kind, sub_state in step.state.items()}
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = dict(last_ml_action_sub_state)
        states.append(domain._clean_state(state))
    return states


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Rasa's states of a tracker's history, replaying only events not replayed before."""
    if omit_unset_slots:  # not asked for by prediction; Rasa's own code
        return _original_states(self, tracker, True, ignore_rule_only_turns, rule_only_data)
    applied = tracker.applied_events()
    steps = _replay_for(self, tracker, applied).catch_up(applied)
    return states_from_steps(self, steps, ignore_rule_only_turns, rule_only_data)


def apply() -> None:
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]


def remove() -> None:
    Domain.states_for_tracker_history = _original_states  # type: ignore[method-assign]
    _replays.clear()
