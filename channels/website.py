"""The website channel: socket.io for the chat widget, plus widget.js and a demo page.

Rasa 3.6.21's `SocketIOInput` calls python-socketio's `enter_room` without awaiting it.
Since python-socketio 5.10 that is a coroutine, so with `session_persistence: true` the
socket never joins its session's room and every reply is silently lost. This channel
re-registers the `session_request` handler with the await, limits socket.io CORS to the
clinic's own websites, and serves the widget from the same server as the bot. Messages
pass the same checks as on the REST channel (channels.guard, channels.limits): a sender
over the rate limit is told once to slow down, and a turn that fails or takes too long
is answered with the clinic's phone number.
"""

from __future__ import annotations

import html
import inspect
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED
from socketio import AsyncServer

from channels.guard import TRUNCATION_NOTE, clean_message
from channels.limits import Limits, RateLimiter, get_limits, throttled_reply
from channels.replies import empty_message_reply, run_turn, trouble_reply

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
WIDGET_JS = ROOT / "widget" / "dist" / "widget.js"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
WIDGET_COLOR = "#2e6b4f"
# Session ids become Rasa sender ids: accept the widget's ids, replace anything odd.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _origin_key(origin: str) -> str | None:
    """`scheme://host[:port]` in lower case, or None if `origin` is not a plain web origin."""
    try:
        parts = urlsplit(origin.strip())
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(origin: str | None, allowed: Iterable[str], own_host: str | None = None) -> bool:
    """Whether a browser page at `origin` may talk to the bot.

    Allowed: the clinic's configured sites, http://localhost and http://127.0.0.1 on any
    port (development), and the bot's own host (its demo page).
    """
    key = _origin_key(origin or "")
    if key is None:
        return False
    parts = urlsplit(key)
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return True
    if key in {_origin_key(site) for site in allowed}:
        return True
    return bool(own_host) and parts.netloc == str(own_host).lower()


def _clinic_origins() -> tuple[str, ...]:
    from sprout.settings import get_settings  # read on demand, never at import time

    return get_settings().clinic.website_origins


def _clinic_details() -> tuple[str, str]:
    """Clinic name and phone for the demo page, with a neutral fallback."""
    from sprout.settings import get_settings

    try:
        clinic = get_settings().clinic
    except (OSError, ValueError):
        logger.warning("Clinic settings unavailable; the demo page uses placeholders.")
        return "Your clinic", ""
    return clinic.name, clinic.phone


async def join_session_room(
    sio: AsyncServer, sid: str, room: str, namespace: str | None = None
) -> None:
    """Put socket `sid` into `room`, on python-socketio before and after 5.10."""
    joined = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(joined):
        await joined


def session_id_from(data: Any) -> str:
    """The client's session id if it is a sane one, else a new random id."""
    requested = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(requested, str) and _SESSION_ID.match(requested):
        return requested
    return uuid.uuid4().hex


class WebsiteInput(SocketIOInput):
    """Rasa's socket.io channel, fixed for session persistence and served at /webhooks/website."""

    @classmethod
    def name(cls) -> str:
        return "website"

    @cached_property
    def limits(self) -> Limits:
        return get_limits()

    @cached_property
    def limiter(self) -> RateLimiter:
        """One bucket per conversation (session id), in this process."""
        return RateLimiter.from_limits(self.limits)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the session handler replaced and the widget routes added."""
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by super().blueprint()
        # engine.io refuses bigger packets itself (1 MB by default).
        sio.eio.max_http_buffer_size = self.limits.max_request_bytes
        # Rasa builds the server with CORS checks switched off ([]); the check is per request.
        sio.eio.cors_allowed_origins = self.cors_allowed
        sio.on("session_request", handler=self.session_request, namespace=self.namespace)

        # A client may emit an event with no data, or several values: never a crash.
        async def user_uttered(sid: str, data: Any = None, *_: Any) -> None:
            await self.handle_user_message(sid, data, on_new_message)

        sio.on(self.user_message_evt, handler=user_uttered, namespace=self.namespace)

        # Sanic tags route handlers with attributes, which bound methods cannot carry.
        @blueprint.route("/widget.js", methods=["GET"], name="widget_js")
        async def widget_js(request: Request) -> HTTPResponse:
            return await self.widget_js(request)

        @blueprint.route("/demo", methods=["GET"], name="demo_page")
        async def demo_page(request: Request) -> HTTPResponse:
            return await self.demo_page(request)

        return blueprint

    def cors_allowed(self, origin: str | None, environ: dict[str, Any] | None = None) -> bool:
        """python-socketio's origin check (called for every request that has an Origin)."""
        environ = environ or {}
        request = environ.get("sanic.request")
        if request is not None:
            # socket.io answers CORS itself; without this, Rasa's `--cors` adds a second
            # Access-Control-Allow-Origin header and browsers reject the response.
            setattr(request.ctx, SANIC_CORS_EVALUATED, True)
        allowed = origin_allowed(origin, _clinic_origins(), environ.get("HTTP_HOST"))
        if not allowed:
            logger.info("Refused a socket.io request from a foreign origin.")
        return allowed

    async def session_request(self, sid: str, data: Any = None, *_: Any) -> None:
        """Confirm the session, joining its room first when replies are sent to it."""
        assert self.sio is not None
        session_id = session_id_from(data)
        if self.session_persistence:
            await join_session_room(self.sio, sid, session_id, self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

    async def handle_user_message(
        self, sid: str, data: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """A parent's message: cleaned by channels.guard, and never left without a reply."""
        assert self.sio is not None
        data = data if isinstance(data, dict) else {}
        session = data.get("session_id")
        valid = isinstance(session, str) and _SESSION_ID.match(session)
        room = session if self.session_persistence and valid else sid
        output = CountingSocketIOOutput(self.sio, self.bot_message_evt)
        message = clean_message(data.get("message"))
        verdict = self.limiter.check(room, message.text)
        if not verdict.allowed:
            if verdict.first_refusal:  # once per burst: a flood must not get a flood back
                await output.send_text_message(room, throttled_reply())
            return
        if not message.text:
            await output.send_text_message(room, empty_message_reply())
            return
        if message.truncated:
            await output.send_text_message(room, TRUNCATION_NOTE)
        metadata = data.get(self.metadata_key)
        timeout = self.limits.turn_timeout_s
        await run_turn(on_new_message, message.text, output, room, self.name(), metadata, timeout)
        if output.replies == int(message.truncated):
            await output.send_text_message(room, trouble_reply())

    async def widget_js(self, request: Request) -> HTTPResponse:
        """The built widget, or a plain explanation when it has not been built."""
        if not WIDGET_JS.is_file():
            return response.text(
                "widget.js is not built yet: run `make widget` (npm ci && npm run build).",
                status=503,
            )
        return await response.file(
            WIDGET_JS,
            mime_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    async def demo_page(self, request: Request) -> HTTPResponse:
        """A clinic-like page that embeds the widget exactly as a clinic's site would."""
        name, phone = _clinic_details()
        base = f"{request.scheme}://{request.host}"
        return response.html(render_demo_page(name, phone, base, request.args.get("page")))


class CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, counting replies so a silent turn can be noticed."""

    def __init__(self, sio: Any, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.replies = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.replies += 1
        await super()._send_message(socket_id, response)


def render_demo_page(name: str, phone: str, base: str, page: str | None) -> str:
    """The demo page; a second 'page' shows the conversation surviving navigation."""
    esc = html.escape
    tag = (
        f'<script src="{esc(base)}/webhooks/website/widget.js" data-server="{esc(base)}" '
        f'data-title="Sprout" data-color="{WIDGET_COLOR}" defer></script>'
    )
    phone_line = f'<p>Call us: <a href="tel:{esc(phone)}">{esc(phone)}</a></p>' if phone else ""
    if page == "services":
        body = (
            "<h1>Our services</h1><ul><li>Physical therapy (PT) for babies and children</li>"
            "<li>Occupational therapy (OT)</li><li>Free first consultation</li></ul>"
        )
    else:
        body = (
            f"<h1>Welcome to {esc(name)}</h1><p>Physical and occupational therapy for babies "
            "and children. Questions? Our assistant Sprout is in the chat bubble at the bottom "
            "right.</p><h2>Add the chat to your website</h2>"
            f"<pre><code>{esc(tag)}</code></pre>"
        )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(name)}: chat demo</title>
<link rel="icon" href="data:,">
<style>
body {{ margin: 0; font: 17px/1.5 Georgia, serif; color: #222; background: #fdfbf7; }}
header {{ background: #20443a; color: #fff; padding: 16px 24px; }}
header a {{ color: #fff; margin-right: 16px; }}
main {{ max-width: 720px; margin: 0 auto; padding: 24px; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f0ece4; padding: 12px; }}
/* Deliberately aggressive site styles: the widget's shadow DOM must not care. */
button {{ background: #ff00aa; font-size: 30px; }}
div, p {{ letter-spacing: 2px; }}
</style>
</head>
<body>
<header><strong>{esc(name)}</strong>
<nav aria-label="Site"><a href="?page=home">Home</a><a href="?page=services">Services</a></nav>
</header>
<main>{body}{phone_line}</main>
{tag}
</body>
</html>
"""
