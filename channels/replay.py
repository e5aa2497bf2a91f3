"""Answer a repeated message from what was stored, instead of running the turn again.

A client that did not get an answer (the network dropped, or the server died
after storing the turn but before replying and the load balancer sent the same
request to another server) sends the message again with the same `message_id`.
Running the turn twice would store the parent's message twice and could move a
form on by one more step; instead the stored replies are sent again.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

logger = logging.getLogger(__name__)

MAX_MESSAGE_ID_CHARS = 128
# What a bot event carries besides its text, as Rasa's collecting channel names it.
_REPLY_PARTS = ("buttons", "image", "attachment", "custom", "elements", "quick_replies")


def valid_message_id(value: object) -> bool:
    """A client message id: optional, otherwise a short non-empty string."""
    return value is None or (isinstance(value, str) and 0 < len(value) <= MAX_MESSAGE_ID_CHARS)


def stored_replies(events: list[Any], sender: str, message_id: str) -> list[dict] | None:
    """The replies given to the message with this id, or None if it was never stored."""
    replies: list[dict] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            reply: dict[str, Any] = {"recipient_id": sender}
            if event.text:
                reply["text"] = event.text
            reply.update({k: v for k, v in (event.data or {}).items() if k in _REPLY_PARTS and v})
            replies.append(reply)
    return replies


async def earlier_replies(agent: Any, sender: str, message_id: str) -> list[dict] | None:
    """Stored replies for a message already handled in this conversation, else None.

    Read under the conversation's lock, so a copy that arrives while the first
    is still being answered waits for it and then gets its replies.
    """
    if agent is None or agent.tracker_store is None or agent.lock_store is None:
        return None
    try:
        async with agent.lock_store.lock(sender):
            tracker = await agent.tracker_store.retrieve(sender)
    except Exception as error:  # the turn itself will meet the same store and answer
        logger.warning("could not look for an earlier answer: %s", type(error).__name__)
        return None
    if tracker is None:
        return None
    replies = stored_replies(list(tracker.events), sender, message_id)
    if replies is not None:
        logger.info("repeated message answered from the stored turn")
    return replies
