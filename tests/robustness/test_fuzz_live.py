"""Fuzzing the REST and website channels of the shared running assistant.

Random unicode, control characters, 100 KB bodies, malformed JSON, wrong content
types, odd JSON shapes and typed `/intent{...}` payloads: never a 5xx or a stack
trace, always a reply or a clear 4xx, and a normal question still gets its
normal answer afterwards.
"""

from __future__ import annotations

import asyncio
import random

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.guard import ALLOWED_PAYLOADS
from tests.support.bot_client import BotClient
from tools.fuzz import REST_PATH, random_text, rest_case, rest_problems, socket_case
from tools.stack import Stack
from tools.widget_client import WidgetClient

pytestmark = [pytest.mark.model, pytest.mark.server]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_still_answers(bot: BotClient) -> None:
    turn = bot.say(bot.new_sender(), "does insurance cover PT?")
    assert turn.intent == "faq"
    assert "insurance" in turn.replies[0]["text"].lower()


@FUZZ
@given(rnd=st.randoms(use_true_random=False))
def test_rest_requests_of_any_kind(bot: BotClient, rnd: random.Random) -> None:
    case = rest_case(rnd)
    reply = bot.post_raw(case.body, case.content_type)
    assert rest_problems(reply.status_code, reply.text) == [], (case.label, reply.text[:300])


@FUZZ
@given(message=st.text(max_size=400) | st.from_regex(r"\A/[a-z_]{1,30}(\{.*\})?\Z"))
def test_rest_any_text_gets_a_reply(bot: BotClient, message: str) -> None:
    sender = bot.new_sender()
    reply = requests.post(
        bot.url + REST_PATH, json={"sender": sender, "message": message}, timeout=120
    )
    assert reply.status_code == 200, reply.text[:300]
    assert rest_problems(200, reply.text) == []
    events = bot.tracker(sender)["events"]
    actions = [e.get("name") for e in events if e["event"] == "action"]
    assert "action_submit_consultation" not in actions
    users = [e["text"] for e in events if e["event"] == "user"]
    assert all(not text.startswith("/") or text.split("{")[0] in ALLOWED_PAYLOADS for text in users)


def test_rest_huge_and_flooded_requests(bot: BotClient) -> None:
    big = bot.post_raw(b'{"sender": "big", "message": "' + b"x" * 100_000 + b'"}')
    assert big.status_code == 413 and "too large" in big.json()["error"]
    sender = bot.new_sender()
    statuses = [
        requests.post(bot.url + REST_PATH, json={"sender": sender, "message": "hi"}, timeout=120)
        for _ in range(3)
    ]
    assert all(s.status_code == 200 for s in statuses)
    assert_still_answers(bot)


def test_rest_still_answers_after_fuzzing(bot: BotClient) -> None:
    assert_still_answers(bot)


async def _fuzz_one_session(url: str, rnd: random.Random) -> None:
    widget = WidgetClient()
    try:
        await widget.start(url)
        for _ in range(8):
            reply = (await widget.send(socket_case(rnd, widget.session_id), settle_s=0.5))[0]
            assert reply.get("text"), reply
        await widget.drain()
        normal = (await widget.ask("does insurance cover PT?"))[0]
        assert "insurance" in normal["text"].lower()
    finally:
        await widget.sio.disconnect()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False))
def test_website_messages_of_any_kind(stack: Stack, rnd: random.Random) -> None:
    asyncio.run(_fuzz_one_session(stack.url, rnd))


def test_website_refuses_an_oversized_packet_and_keeps_serving(stack: Stack) -> None:
    async def scenario() -> None:
        widget = WidgetClient()
        await widget.start(stack.url)
        try:
            await widget.sio.emit(
                "user_uttered", {"message": "x" * 100_000, "session_id": widget.session_id}
            )
            await asyncio.sleep(2)
        finally:
            await widget.sio.disconnect()
        fresh = WidgetClient()
        try:
            await fresh.start(stack.url)
            reply = (await fresh.ask(random_text(random.Random(7), 50) or "hi"))[0]
            assert reply.get("text")
        finally:
            await fresh.sio.disconnect()

    asyncio.run(scenario())
