"""Replies channels give on their own, when Rasa cannot or should not answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from sprout.settings import get_settings

logger = logging.getLogger(__name__)


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


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    output: OutputChannel,
    sender: str,
    channel: str,
    metadata: object,
) -> None:
    """Hand one cleaned message to Rasa; a failure is logged without the parent's text."""
    try:
        await on_new_message(
            UserMessage(
                text,
                output,
                sender,
                input_channel=channel,
                metadata=metadata if isinstance(metadata, dict) else None,
            )
        )
    except Exception as error:  # the caller still answers the parent
        logger.error("turn failed in the %s channel: %s", channel, type(error).__name__)
