"""Checking an action server's reply against Rasa's schema, one event type at a time.

Rasa validates every reply from the action server against its response schema. Each
event in the reply must match exactly one of 23 event schemas (`oneOf`), so the
validator tried every event against all 23, checking the parse data of a `user` event
against the `bot` schema and so on: about a tenth of the Rasa server's CPU per
message. Every one of those schemas pins the `event` field to its own constant, and
the common part requires that field to be a string, so an event can only ever match
the schema named by its `event` field. `ReplyCheck` checks each event against the
common part and that one schema, which gives the same verdict.

The shortcut is taken only when the schema has exactly that shape (checked when the
validator is built); otherwise every reply is checked against the whole schema.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema.validators import validator_for


def _split_by_event(schema: dict[str, Any]) -> tuple[dict, dict, dict[str, dict]] | None:
    """(reply without event details, common event part, event schema by name), if exact."""
    if "$ref" in json.dumps(schema):
        return None
    try:
        events = schema["properties"]["events"]
        items = events["items"]
        branches = items["oneOf"]
        common = {key: value for key, value in items.items() if key != "oneOf"}
        if "event" not in common["required"] or common["properties"]["event"] != {"type": "string"}:
            return None
        by_event = {}
        for branch in branches:
            name = branch["properties"]["event"]["const"]
            if not isinstance(name, str) or name in by_event:
                return None
            by_event[name] = branch
    except (KeyError, TypeError):
        return None
    if set(items) - {"type", "properties", "required", "oneOf"} or items.get("type") != "object":
        return None
    envelope_events = {key: value for key, value in events.items() if key != "items"}
    envelope = {**schema, "properties": {**schema["properties"], "events": envelope_events}}
    return envelope, common, by_event


class ReplyCheck:
    """Rasa's response schema, as a validator that checks each event against its own type."""

    def __init__(self, schema: dict[str, Any]) -> None:
        validator_class = validator_for(schema)
        validator_class.check_schema(schema)
        split = _split_by_event(schema)
        self.by_event: dict[str, Any] | None = None
        if split is None:
            self.full = validator_class(schema)
        else:
            envelope, common, by_event = split
            self.envelope = validator_class(envelope)
            self.common = validator_class(common)
            self.by_event = {name: validator_class(part) for name, part in by_event.items()}

    def is_valid(self, reply: Any) -> bool:
        """Whether `reply` satisfies the whole schema."""
        if self.by_event is None:
            return self.full.is_valid(reply)
        if not self.envelope.is_valid(reply):
            return False
        for event in reply.get("events") or ():
            if not self.common.is_valid(event):
                return False
            own_schema = self.by_event.get(event["event"])
            if own_schema is None or not own_schema.is_valid(event):
                return False
        return True
