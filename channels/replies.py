"""Replies channels give on their own, when Rasa cannot or should not answer."""

from __future__ import annotations

import asyncio
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


_running_turns: set[asyncio.Future] = set()


async def run_turn(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    output: OutputChannel,
    sender: str,
    channel: str,
    metadata: object,
    timeout_s: float | None = None,
    message_id: str | None = None,
) -> bool:
    """Hand one cleaned message to Rasa; False if it failed or is still running.

    A failure is logged without the parent's text. After `timeout_s` (e.g. the
    action server hangs) the turn goes on in the background so the caller can
    answer the parent now; Rasa itself waits up to 5 minutes for an action.
    """
    message = UserMessage(
        text,
        output,
        sender,
        input_channel=channel,
        metadata=metadata if isinstance(metadata, dict) else None,
        message_id=message_id,
    )
    turn = asyncio.ensure_future(on_new_message(message))
    # The event loop keeps only weak references to tasks: hold this one until it
    # ends, or a turn still running after the timeout could be destroyed unfinished.
    _running_turns.add(turn)
    turn.add_done_callback(_running_turns.discard)
    turn.add_done_callback(lambda done: _log_failure(done, channel))
    try:
        await asyncio.wait_for(asyncio.shield(turn), timeout_s)
    except asyncio.TimeoutError:
        logger.warning("turn in the %s channel exceeded %.0f s", channel, timeout_s or 0)
        return False
    except Exception:  # logged by _log_failure; the caller still answers the parent
        return False
    return True


def _log_failure(turn: asyncio.Future, channel: str) -> None:
    if turn.cancelled():
        return
    error = turn.exception()
    if error is not None:
        logger.error("turn failed in the %s channel: %s", channel, type(error).__name__)
