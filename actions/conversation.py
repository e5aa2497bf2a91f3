"""Small helpers for reading a tracker, shared by the capability modules."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_text(tracker: Tracker) -> str:
    """The parent's last message as typed."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_channel(tracker: Tracker) -> str | None:
    """The channel the parent last wrote from (rest, socketio, sms, ...)."""
    return tracker.get_latest_input_channel()
