"""Which stored events Rasa needs to continue a long conversation.

Rasa rebuilds a conversation from its events on every message and then walks all
of them again for each prediction, so a family that has sent 200 messages pays
for 200 messages of history on each new one. What the next reply depends on is
much smaller: the current slot values, the active form, and the last few turns
(the policies look back at most four turns; a handoff's transcript shows what
the window holds, the last six exchanges or more).

`window_indices` picks exactly that from a session: the events before the
parent's first message (session start), the last event that set each slot, the
last form (de)activation and interruption, and the last `keep_turns` turns in
full. The events are the stored originals, timestamps included, so anything
derived from them (for example a booking's idempotency key, which uses the time
the form started) is the same as with the full history.

If the older part of the session holds an event whose effect cannot be carried
by these few events (undo, rewind, reset of all slots, pause, reminders, ...),
the whole session is used, which is always correct.

`lean_older_messages` then leaves out what nothing reads from a parent's earlier
messages: the classifiers' rankings (every intent and FAQ key with its confidence,
and the FAQ answer's text). The policies read an earlier message's intent and
entities, the handoff transcript its text; only the latest message is read in full.
The rankings were most of the bytes Rasa decoded, rebuilt and sent to the action
server on every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

# Six turns: about 17 ms of CPU per message late in a long conversation, against 23 ms
# with twelve and 13 ms early in a new one (README, Performance).
DEFAULT_KEEP_TURNS = 6

# Events whose effect on later turns is fully carried by the kept events below.
_CARRIED = frozenset(
    {
        "action",
        "user",
        "bot",
        "slot",
        "active_loop",
        "loop_interrupted",
        "form_validation",
        "action_execution_rejected",
        "user_featurization",
        "entities",
        "followup",
        "session_started",
    }
)


# What is kept of an earlier message's classification.
_EARLIER_PARSE_KEYS = ("intent", "entities", "text", "message_id", "metadata")


class EventKind(NamedTuple):
    """What window selection needs to know about one stored event."""

    type_name: str
    key: str | None = None  # slot name for "slot", action name for "action"


def session_start(kinds: Sequence[EventKind]) -> int:
    """Index where the latest session (or the latest restart) begins."""
    for index in range(len(kinds) - 1, -1, -1):
        kind = kinds[index]
        if kind.type_name == "restart":
            return index
        if kind.type_name == "session_started":
            previous = kinds[index - 1] if index else None
            if previous and previous.type_name == "action":
                return index - 1
            return index
    return 0


def window_indices(kinds: Sequence[EventKind], keep_turns: int = DEFAULT_KEEP_TURNS) -> list[int]:
    """Indices, in order, of the events of the latest session Rasa should see."""
    start = session_start(kinds)
    users = [i for i in range(start, len(kinds)) if kinds[i].type_name == "user"]
    if keep_turns < 1 or len(users) <= keep_turns:
        return list(range(start, len(kinds)))
    head_end, cut = users[0], users[-keep_turns]
    older = range(head_end, cut)
    if any(kinds[i].type_name not in _CARRIED for i in older):
        return list(range(start, len(kinds)))

    last_slot_event: dict[str | None, int] = {}
    # The active form, and the flags set on it since it was (de)activated.
    last_loop_events: dict[str, int] = {}
    for i in older:
        type_name = kinds[i].type_name
        if type_name == "slot":
            last_slot_event[kinds[i].key] = i
        elif type_name == "active_loop":
            last_loop_events = {type_name: i}
        elif type_name in ("loop_interrupted", "form_validation"):
            last_loop_events[type_name] = i
    carried = {*last_slot_event.values(), *last_loop_events.values()}
    before_cut = cut - 1
    if kinds[before_cut].type_name == "action":
        carried.add(before_cut)  # the action_listen that preceded the kept turns
    return [*range(start, head_end), *sorted(carried), *range(cut, len(kinds))]


def lean_older_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the rankings from every parent message but the latest (in place; returned)."""
    users = [event for event in events if event.get("event") == "user"]
    for event in users[:-1]:
        parse = event.get("parse_data")
        if parse:
            event["parse_data"] = {k: parse[k] for k in _EARLIER_PARSE_KEYS if k in parse}
    return events
