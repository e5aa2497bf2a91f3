"""Replies channels give on their own, when Rasa cannot or should not answer."""

from __future__ import annotations

from functools import lru_cache

from sprout.settings import get_settings


@lru_cache(maxsize=1)
def trouble_reply() -> str:
    """For a turn that produced nothing, e.g. while the action server is down."""
    clinic = get_settings().clinic
    return (
        "Sorry, I'm having trouble answering right now. Please try again in a moment, "
        f"or call us at {clinic.phone} ({clinic.hours})."
    )


def empty_message_reply() -> str:
    return "I didn't get any text there. What would you like to know?"
