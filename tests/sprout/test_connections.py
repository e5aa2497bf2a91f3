"""Kept-alive sessions to the real action server: the same replies over fewer connections."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core import run
from rasa.utils.endpoints import EndpointConfig

from sprout import connections
from tools.stack import Stack


def session_start_call(sender: str) -> dict[str, Any]:
    """What Rasa sends the action server to start a new conversation."""
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []}
    return {"next_action": "action_session_start", "sender_id": sender, "tracker": tracker}


def connections_to(port: int) -> int:
    """This process's open TCP connections to the port."""
    return sum(
        1
        for c in psutil.Process().net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


@pytest.fixture
def kept() -> Iterator[None]:
    connections.apply()
    yield
    connections.remove()


def calls(stack: Stack, count: int, pause_s: float = 0.0) -> tuple[list[Any], list[int]]:
    """Replies to `count` session starts through one endpoint, and open connections after each."""
    endpoint = EndpointConfig(f"{stack.action_url}/webhook")
    port = int(stack.action_url.rsplit(":", 1)[1])

    async def send() -> tuple[list[Any], list[int]]:
        replies, open_after = [], []
        for n in range(count):
            reply = await endpoint.request(json=session_start_call(f"kept-{n}"), method="post")
            replies.append([e["event"] for e in reply["events"]])
            open_after.append(connections_to(port))
            await asyncio.sleep(pause_s)
        await connections.close_sessions()
        return replies, open_after

    return asyncio.run(send())


def test_kept_session_gives_the_same_replies_over_one_connection(stack: Stack, kept: None) -> None:
    replies, open_after = calls(stack, 12)
    connections.remove()
    fresh_replies, _ = calls(stack, 12)
    assert replies == fresh_replies
    assert replies[0][0] == "session_started"
    assert open_after == [1] * 12


def test_an_idle_connection_is_replaced_before_the_server_drops_it(
    stack: Stack, kept: None
) -> None:
    """The action server closes idle connections after 5 s; we stop reusing them after 2 s."""
    replies, _ = calls(stack, 2, pause_s=5.5)
    assert [r[0] for r in replies] == ["session_started"] * 2


def test_sessions_close_when_rasa_shuts_down(kept: None) -> None:
    assert run.close_resources is connections.close_resources
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    class App:
        ctx = object()

    async def open_then_stop() -> Any:
        async with endpoint.session() as session:
            pass
        await run.close_resources(App(), asyncio.get_running_loop())
        return session

    assert asyncio.run(open_then_stop()).closed


def test_rasa_behaviour_is_restored() -> None:
    connections.apply()
    connections.remove()
    assert EndpointConfig.session is connections._original_session
    assert run.close_resources is connections._original_close_resources


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(value=json_values)
def test_request_bodies_decode_to_what_the_standard_library_would_send(value: Any) -> None:
    assert json.loads(connections.dumps_json(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", object()])
def test_values_json_cannot_encode_still_fail_as_before(value: Any) -> None:
    with pytest.raises(TypeError):
        connections.dumps_json(value)


def test_a_tracker_with_timestamps_and_typographic_text_round_trips() -> None:
    payload = {
        "next_action": "action_suggest_therapy",
        "tracker": {
            "events": [
                {"event": "user", "timestamp": 1764450000.123456, "text": "“Leo” — 9 months/old"},
                {"event": "slot", "name": "child_age", "value": 0.75, "timestamp": 1.5e9},
            ]
        },
    }
    text = connections.dumps_json(payload)
    assert json.loads(text) == payload
    assert "\\/" not in text  # slashes are written as they are
