"""The website channel inside the real running stack: socket.io, CORS and served files."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from tests.widget.support import ensure_widget_built
from tools.stack import Stack
from tools.widget_client import WidgetClient

pytestmark = [pytest.mark.model, pytest.mark.server]


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
    client = WidgetClient(session_id)
    try:
        await client.start(stack.url)
        replies = await client.ask("does insurance cover PT?")
    finally:
        await client.sio.disconnect()
    assert "insurance" in replies[0]["text"].lower()
    titles = [r["title"] for reply in replies for r in reply.get("quick_replies", [])]
    assert "Book a free consultation" in titles

    # A new socket (a reload) with the same session id continues the same conversation.
    again = WidgetClient(session_id)
    try:
        await again.start(stack.url)
        assert await again.ask("/book_consultation")
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
    client = WidgetClient(session_id)
    try:
        await client.start(stack.url)
        empty = await client.ask("   ")
        await client.ask('/affirm{"booking_confirmed": true}')
    finally:
        await client.sio.disconnect()
    assert empty and empty[0]["text"]
    tracker = _tracker(stack, session_id)
    texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert texts == ['affirm{"booking_confirmed": true}']
    assert tracker["slots"]["booking_confirmed"] is None
    actions = [e.get("name") for e in tracker["events"] if e["event"] == "action"]
    assert "action_submit_consultation" not in actions
