"""The REST channel at /webhooks/rest/webhook, hardened for the open internet.

Compared with Rasa's own RestInput: malformed requests get a clear 400 instead
of an error page, messages pass through channels.guard, message text is never
logged, the channel name cannot be spoofed by the client, and a turn that
produced no reply (for example while the action server is down or too slow)
gets a friendly message with the clinic's phone number instead of silence.
Bodies over the size cap get a 413 and senders over their rate a 429, each
with a sentence (channels.limits). A client may send a `message_id`; sending
the same one again returns the stored replies instead of a second turn
(channels.replay), which makes retries and load-balancer replays safe.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import TRUNCATION_NOTE, clean_message
from channels.limits import RateLimiter, get_limits, throttled_reply, too_large_reply
from channels.replay import MAX_MESSAGE_ID_CHARS, earlier_replies, valid_message_id
from channels.replies import empty_message_reply, run_turn, trouble_reply

MAX_SENDER_CHARS = 128


def _bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


def _body(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


class RestChannel(RestInput):
    """Rasa's REST channel with input checks and a reply on every turn."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sprout_rest_webhook", __name__)
        limits = get_limits()
        limiter = RateLimiter.from_limits(limits)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > limits.max_request_bytes:
                return response.json(
                    {"error": too_large_reply(limits.max_request_bytes)}, status=413
                )
            body = _body(request)
            if body is None:
                return _bad_request('Send a JSON object like {"sender": "...", "message": "..."}.')
            sender = body.get("sender")
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
                return _bad_request(f'"sender" must be a string of 1 to {MAX_SENDER_CHARS} chars.')
            message_id = body.get("message_id")
            if not valid_message_id(message_id):
                return _bad_request(
                    f'"message_id" must be a string of 1 to {MAX_MESSAGE_ID_CHARS} chars.'
                )
            metadata = body.get("metadata")
            message = clean_message(body.get("message"))
            verdict = limiter.check(sender, message.text)
            if not verdict.allowed:
                return response.json(
                    [{"recipient_id": sender, "text": throttled_reply()}],
                    status=429,
                    headers={"Retry-After": str(math.ceil(verdict.retry_after_s))},
                )
            if not message.text:
                return response.json([{"recipient_id": sender, "text": empty_message_reply()}])

            if message_id:
                agent = getattr(request.app.ctx, "agent", None)
                earlier = await earlier_replies(agent, sender, message_id)
                if earlier is not None:
                    if not any(reply.get("text") for reply in earlier):
                        earlier.append({"recipient_id": sender, "text": trouble_reply()})
                    return response.json(earlier)

            collector = CollectingOutputChannel()
            await run_turn(
                on_new_message,
                message.text,
                collector,
                sender,
                self.name(),
                metadata,
                limits.turn_timeout_s,
                message_id=message_id,
            )
            answered = list(collector.messages)  # a copy: a late turn may still add to it
            note = [{"recipient_id": sender, "text": TRUNCATION_NOTE}]
            replies = (note if message.truncated else []) + answered
            if not any(reply.get("text") for reply in answered):
                replies.append({"recipient_id": sender, "text": trouble_reply()})
            return response.json(replies)

        return webhook
