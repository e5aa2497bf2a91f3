"""A socket.io client that speaks the website widget's protocol (live tests, `make bench`)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import socketio

REPLY_TIMEOUT_S = 90  # the first turn after start-up can be slow on a busy machine


class WidgetClient:
    """Joined to one session like the widget; polling transport (see rasa-notes)."""

    def __init__(self, session_id: str | None = None) -> None:
        self.session_id = session_id or uuid.uuid4().hex
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", handler=self.replies.put_nowait)
        self.sio.on("session_confirm", handler=self.confirmed.put_nowait)

    async def start(self, url: str) -> None:
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io")
        await self.sio.emit("session_request", {"session_id": self.session_id})
        confirmed = await asyncio.wait_for(self.confirmed.get(), 30)
        if confirmed != self.session_id:
            raise RuntimeError(f"the server confirmed session {confirmed!r}, not ours")

    async def send(self, data: Any, settle_s: float = 1.0) -> list[dict[str, Any]]:
        """Emit one user_uttered; every reply of the turn (it may come as several events)."""
        await self.sio.emit("user_uttered", data)
        replies = [await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT_S)]
        await asyncio.sleep(settle_s)
        while not self.replies.empty():
            replies.append(self.replies.get_nowait())
        return replies

    async def drain(self, quiet_s: float = 1.5) -> list[dict[str, Any]]:
        """Take the replies still on their way (late ones of earlier turns) until it is quiet.

        `send` waits only `settle_s` for a turn's further replies; on a busy machine the
        rest of a turn can come later and would be read as the next turn's reply.
        """
        late = []
        while True:
            try:
                late.append(await asyncio.wait_for(self.replies.get(), quiet_s))
            except asyncio.TimeoutError:
                return late

    async def ask(self, text: str) -> list[dict[str, Any]]:
        return await self.send({"message": text, "session_id": self.session_id})
