"""The website channel without a running server: the session fix, CORS rules, routes."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from socketio import AsyncServer

from channels import website
from channels.website import (
    WebsiteInput,
    join_session_room,
    origin_allowed,
    render_demo_page,
    session_id_from,
)

SESSION = "5e551011aa"


async def _ignore(_: Any) -> None:
    return None


async def _replies_after_session_request(channel: SocketIOInput) -> list[str]:
    """Run the channel's own session_request handler, then send a bot reply to the session.

    Returns the bot_uttered packets that reached the client's transport.
    """
    channel.blueprint(_ignore)
    sio = channel.sio
    assert sio is not None
    delivered: list[tuple[str, str]] = []

    async def record(eio_sid: str, pkt: Any) -> None:
        delivered.append((eio_sid, str(pkt.data)))

    sio.eio.send_packet = record  # the transport: every packet for a client ends up here
    sid = await sio.manager.connect("eio-parent", "/")
    handler = sio.handlers["/"]["session_request"]
    await handler(sid, {"session_id": SESSION})
    gc.collect()
    await SocketIOOutput(sio, "bot_uttered").send_text_message(SESSION, "Hello!")
    return [data for to, data in delivered if to == "eio-parent" and "bot_uttered" in data]


async def test_website_channel_delivers_replies_with_session_persistence() -> None:
    replies = await _replies_after_session_request(WebsiteInput(session_persistence=True))
    assert len(replies) == 1
    assert "Hello!" in replies[0]


async def test_stock_socketio_input_loses_replies_with_session_persistence() -> None:
    """The upstream bug this channel exists for; if this fails, Rasa fixed it."""
    with pytest.warns(RuntimeWarning, match="never awaited"):
        replies = await _replies_after_session_request(SocketIOInput(session_persistence=True))
    assert replies == []


async def test_join_session_room_supports_sync_and_async_enter_room() -> None:
    calls: list[tuple[str, str, str | None]] = []

    class OldServer:  # python-socketio < 5.10: enter_room is a plain method
        def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
            calls.append((sid, room, namespace))

    await join_session_room(OldServer(), "sid-1", "room-1")  # type: ignore[arg-type]
    assert calls == [("sid-1", "room-1", None)]

    sio = AsyncServer(async_mode="asgi")
    sid = await sio.manager.connect("eio-1", "/")
    await join_session_room(sio, sid, "room-2")
    assert sid in {s for s, _ in sio.manager.get_participants("/", "room-2")}


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        ({"session_id": "abc123def456"}, True),
        ({"session_id": "a-b_c"}, True),
        ({"session_id": None}, False),
        ({"session_id": ""}, False),
        ({"session_id": "x" * 129}, False),
        ({"session_id": "../../etc"}, False),
        ({"session_id": 42}, False),
        (None, False),
        ("not a dict", False),
    ],
)
def test_session_ids_are_kept_only_when_sane(data: Any, kept: bool) -> None:
    session_id = session_id_from(data)
    assert (session_id == data["session_id"]) is kept if isinstance(data, dict) else not kept
    assert 1 <= len(session_id) <= 128


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://www.clinic.example", True),
        ("https://WWW.Clinic.example/", True),
        ("http://localhost", True),
        ("http://localhost:5173", True),
        ("http://127.0.0.1:8080", True),
        ("https://bot.example:8443", True),  # the bot's own host serves the demo page
        ("http://www.clinic.example", False),  # scheme matters
        ("https://evil.example", False),
        ("http://localhost.evil.example", False),
        ("http://127.0.0.1.evil.example:80", False),
        ("http://localhost@evil.example", False),
        ("https://localhost:8443", False),
        ("null", False),
        ("", False),
        (None, False),
        ("http://127.0.0.1:notaport", False),
    ],
)
def test_origin_rules(origin: str | None, allowed: bool) -> None:
    sites = ["https://www.clinic.example"]
    assert origin_allowed(origin, sites, own_host="bot.example:8443") is allowed


def test_cors_uses_the_clinic_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from sprout.settings import get_settings

    monkeypatch.setenv("SPROUT_CLINIC_WEBSITE_ORIGINS", "https://www.clinic.example")
    get_settings.cache_clear()
    try:
        channel = WebsiteInput(session_persistence=True)
        assert channel.cors_allowed("https://www.clinic.example", {})
        assert not channel.cors_allowed("https://other.example", {})
        assert channel.cors_allowed("http://localhost:3000", {})
    finally:
        get_settings.cache_clear()


def test_blueprint_never_allows_every_origin() -> None:
    channel = WebsiteInput(session_persistence=True)
    channel.blueprint(_ignore)
    assert channel.sio is not None
    check = channel.sio.eio.cors_allowed_origins
    assert check not in ("*", [], None) and callable(check)


def test_name_gives_the_webhook_prefix() -> None:
    channel = WebsiteInput.from_credentials({"session_persistence": True})
    assert channel.name() == channel.url_prefix() == "website"  # mounted at /webhooks/website
    assert channel.session_persistence is True


def test_demo_page_escapes_clinic_details() -> None:
    page = render_demo_page('<b>"Kids" & Co</b>', "<script>1</script>", "http://bot:5005", None)
    assert "<b>" not in page and "<script>1" not in page
    assert "&lt;b&gt;&quot;Kids&quot; &amp; Co&lt;/b&gt;" in page
    assert page.count('<script src="http://bot:5005/webhooks/website/widget.js"') == 1
    assert 'data-server="http://bot:5005"' in page


async def test_widget_js_says_clearly_when_not_built(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(website, "WIDGET_JS", tmp_path / "missing.js")
    reply = await WebsiteInput().widget_js(None)  # type: ignore[arg-type]
    assert reply.status == 503
    assert b"make widget" in reply.body
