"""Rasa tracker store that keeps every event but hands Rasa only what it needs.

The default single-machine store. Like Rasa's InMemoryTrackerStore it keeps
conversations in this process's memory (as JSON text), and the HTTP API's
`GET /conversations/<id>/tracker` still returns the full history. Unlike it,
saving appends only the new events, and loading rebuilds just the window chosen
by storage.tracker_window (with earlier messages' rankings left out), so the
cost of a message no longer grows with the length of the conversation.

Configured in endpoints.yml:

    tracker_store:
      type: storage.conversation_store.WindowedTrackerStore
      keep_turns: 6
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from storage.tracker_window import (
    DEFAULT_KEEP_TURNS,
    EventKind,
    lean_older_messages,
    session_start,
    window_indices,
)

# Set on each tracker this store hands out: (stored events, events in the window).
_WINDOW_BASE = "_sprout_window_base"


def _kind(event: Event) -> EventKind:
    if isinstance(event, SlotSet):
        return EventKind(event.type_name, event.key)
    if isinstance(event, ActionExecuted):
        return EventKind(event.type_name, event.action_name)
    return EventKind(event.type_name)


class _Conversation:
    """One conversation's events, stored as JSON text beside what windowing needs."""

    __slots__ = ("kinds", "texts")

    def __init__(self) -> None:
        self.kinds: list[EventKind] = []
        self.texts: list[str] = []

    def replace_from(self, position: int, events: Iterable[Event]) -> None:
        del self.kinds[position:], self.texts[position:]
        for event in events:
            self.kinds.append(_kind(event))
            self.texts.append(json.dumps(event.as_dict()))

    def dicts(self, indices: Iterable[int]) -> list[dict[str, Any]]:
        return [json.loads(self.texts[i]) for i in indices]


class WindowedTrackerStore(InMemoryTrackerStore):
    """In-memory conversations whose per-message cost does not grow with their length."""

    def __init__(
        self,
        domain: Domain,
        event_broker: Any = None,
        keep_turns: int = DEFAULT_KEEP_TURNS,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.keep_turns = int(keep_turns)
        self.conversations: dict[str, _Conversation] = {}

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append what is new since this tracker was loaded or last saved."""
        conversation = self.conversations.get(tracker.sender_id)
        base = getattr(tracker, _WINDOW_BASE, None)
        if base is None or conversation is None:
            # A new conversation, or a whole history handed in: store it as given.
            await self.stream_events(tracker)
            conversation = self.conversations[tracker.sender_id] = _Conversation()
            conversation.replace_from(0, tracker.events)
            setattr(tracker, _WINDOW_BASE, (0, 0))
            return
        stored, shown = base
        events = list(tracker.events)
        already_saved = len(conversation.kinds) - stored
        if self.event_broker is not None:
            unsaved = events[shown + already_saved :]
            await self._stream_new_events(self.event_broker, unsaved, tracker.sender_id)
        # Saving the same tracker twice rewrites its own new events, never others'.
        conversation.replace_from(stored, events[shown:])

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session, reduced to the window Rasa needs for the next message."""
        conversation = self.conversations.get(sender_id)
        if conversation is None:
            return None
        indices = window_indices(conversation.kinds, self.keep_turns)
        events = lean_older_messages(conversation.dicts(indices))
        tracker = self._tracker(sender_id, events)
        setattr(tracker, _WINDOW_BASE, (len(conversation.kinds), len(indices)))
        return tracker

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """Every event of every session, as the HTTP API and exports expect."""
        conversation = self.conversations.get(sender_id)
        if conversation is None:
            return None
        return self._tracker(sender_id, conversation.dicts(range(len(conversation.texts))))

    async def keys(self) -> Iterable[str]:
        return self.conversations.keys()

    def session_event_count(self, sender_id: str) -> int:
        """Events in the latest session (for tests and diagnostics)."""
        conversation = self.conversations.get(sender_id)
        if conversation is None:
            return 0
        return len(conversation.kinds) - session_start(conversation.kinds)

    def _tracker(self, sender_id: str, events: list[dict[str, Any]]) -> DialogueStateTracker:
        return DialogueStateTracker.from_dict(
            sender_id, events, self.domain.slots, self.max_event_history
        )
