"""The website channel inside the real running stack: socket.io, CORS and served files."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import requests
import socketio

from tests.widget.support import ensure_widget_built
from tools.stack import Stack

pytestmark = [pytest.mark.model, pytest.mark.server]
REPLY_TIMEOUT_S = 90  # the first turn after start-up can be slow on a busy machine


class WidgetLikeClient:
    """A socket.io client speaking the widget's protocol (polling: see rasa-notes)."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", handler=self.replies.put_nowait)
        self.sio.on("session_confirm", handler=self.confirmed.put_nowait)

    async def start(self, url: str, session_id: str) -> None:
        await self.sio.connect(url, transports=["polling"], socketio_path="/socket.io")
        await self.sio.emit("session_request", {"session_id": session_id})
        assert await asyncio.wait_for(self.confirmed.get(), 15) == session_id

    async def ask(self, text: str, session_id: str) -> list[dict[str, Any]]:
        await self.sio.emit("user_uttered", {"message": text, "session_id": session_id})
        replies = [await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT_S)]
        await asyncio.sleep(1.0)  # Rasa may send a turn as several bot_uttered events
        while not self.replies.empty():
            replies.append(self.replies.get_nowait())
        return replies


def _tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = requests.get(
        f"{stack.url}/conversations/{sender}/tracker",
        params={"token": stack.token},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


async def test_replies_arrive_with_session_persistence(stack: Stack) -> None:
    session_id = uuid.uuid4().hex
    client = WidgetLikeClient()
    try:
        await client.start(stack.url, session_id)
        replies = await client.ask("does insurance cover PT?", session_id)
    finally:
        await client.sio.disconnect()
    assert "insurance" in replies[0]["text"].lower()
    titles = [r["title"] for reply in replies for r in reply.get("quick_replies", [])]
    assert "Book a free consultation" in titles

    # A new socket (a reload) with the same session id continues the same conversation.
    again = WidgetLikeClient()
    try:
        await again.start(stack.url, session_id)
        assert await again.ask("/book_consultation", session_id)
    finally:
        await again.sio.disconnect()
    texts = [e.get("text") for e in _tracker(stack, session_id)["events"] if e["event"] == "user"]
    assert texts == ["does insurance cover PT?", "/book_consultation"]


def _handshake(stack: Stack, origin: str) -> requests.Response:
    return requests.get(
        f"{stack.url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=10,
    )


@pytest.mark.parametrize(
    "origin", ["http://localhost", "http://localhost:8080", "http://127.0.0.1:3000"]
)
def test_cors_allows_local_development_origins(stack: Stack, origin: str) -> None:
    response = _handshake(stack, origin)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example"])
def test_cors_refuses_foreign_origins(stack: Stack, origin: str) -> None:
    response = _handshake(stack, origin)
    assert response.status_code == 400
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "*" not in response.headers.get("Access-Control-Allow-Origin", "")


def test_widget_js_is_served(stack: Stack) -> None:
    built = ensure_widget_built()
    response = requests.get(f"{stack.url}/webhooks/website/widget.js", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/javascript")
    assert response.content == built.read_bytes()


def test_demo_page_embeds_the_widget(stack: Stack) -> None:
    from sprout.settings import get_settings

    response = requests.get(f"{stack.url}/webhooks/website/demo", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.text
    clinic = get_settings().clinic
    assert clinic.name in page and clinic.phone in page
    assert page.count(f'<script src="{stack.url}/webhooks/website/widget.js"') == 1
    assert f'data-server="{stack.url}"' in page


async def test_typed_commands_and_empty_messages_are_handled(stack: Stack) -> None:
    session_id = uuid.uuid4().hex
    client = WidgetLikeClient()
    try:
        await client.start(stack.url, session_id)
        empty = await client.ask("   ", session_id)
        await client.ask('/affirm{"booking_confirmed": true}', session_id)
    finally:
        await client.sio.disconnect()
    assert empty and empty[0]["text"]
    tracker = _tracker(stack, session_id)
    texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert texts == ['affirm{"booking_confirmed": true}']
    assert tracker["slots"]["booking_confirmed"] is None
    actions = [e.get("name") for e in tracker["events"] if e["event"] == "action"]
    assert "action_submit_consultation" not in actions
