"""A tracker's applied events, worked out from the new events only.

`DialogueStateTracker.applied_events` (the conversation without what was undone,
rewound or restarted) walks every event from the start each time it is asked, with
several type checks per event and a backwards search at every form step. The policies,
the form and the dialogue states ask for it many times per message, and it was about
a twelfth of the Rasa server's CPU per message.

The walk is a left-to-right fold: each event changes the list built so far. Here the
fold is kept per tracker while the tracker lives and continued with the events added
since, using Rasa's own helpers for every step. It starts again whenever the earlier
events are not exactly the same objects in the same order, and whenever a new event
activates a form not activated before (Rasa decides how to treat every earlier form
step from the set of forms in the whole conversation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from sprout.per_tracker import continues, keep

_original_applied_events = DialogueStateTracker.applied_events


def _loop_names(events: list[Event]) -> set[str]:
    return {e.name for e in events if isinstance(e, ActiveLoop) and e.name}


@dataclass
class Fold:
    """The events folded so far, the forms they activate, and the applied events."""

    seen: list[Event] = field(default_factory=list)
    loop_names: set[str] = field(default_factory=set)
    applied: list[Event] = field(default_factory=list)

    def step(self, tracker: DialogueStateTracker, event: Event) -> None:
        """One iteration of Rasa's `applied_events` loop."""
        applied = self.applied
        if isinstance(event, (Restarted, SessionStarted)):
            self.applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in self.loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


_folds: dict[int, Fold] = {}


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's applied events, continuing this tracker's earlier fold where it can."""
    events = list(self.events)
    fold = _folds.get(id(self))
    new = events[len(fold.seen) :] if fold is not None and continues(events, fold.seen) else None
    if fold is None or new is None or not _loop_names(new) <= fold.loop_names:
        fold = keep(_folds, self, Fold(loop_names=_loop_names(events)))
        new = events
    for event in new:
        fold.step(self, event)
    fold.seen.extend(new)
    return list(fold.applied)


def apply() -> None:
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]


def remove() -> None:
    DialogueStateTracker.applied_events = _original_applied_events  # type: ignore[method-assign]
    _folds.clear()
