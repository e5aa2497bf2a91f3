"""Small helpers for reading a tracker, shared by the capability modules."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_text(tracker: Tracker) -> str:
    """The parent's last message as typed."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_channel(tracker: Tracker) -> str | None:
    """The channel the parent last wrote from (rest, socketio, sms, ...)."""
    return tracker.get_latest_input_channel()


def transcript(tracker: Tracker, turns: int = 20) -> str:
    """The last messages of the conversation, for staff picking up a handoff."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append(f"Parent: {event['text']}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Sprout: {event['text']}")
    return "\n".join(lines[-turns:])
