"""Bad input through the REST channel gets a reply or a clean 4xx, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.support.bot_client import BotClient


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "x" * 20_000,
        "👶🍼😭😭",
        "<script>alert('hi')</script><img src=x onerror=alert(1)>",
        "\x00\x07 control \x1b[31m",
        "what is PT " * 500,
    ],
    ids=["empty", "blank", "20kb", "emoji", "html", "control-chars", "long-repeat"],
)
def test_odd_messages_get_an_answer(bot: BotClient, message: str) -> None:
    sender = bot.new_sender()
    response = bot.post_raw(json.dumps({"sender": sender, "message": message}))
    assert response.status_code == 200
    replies = response.json()
    assert replies and all(reply.get("text") for reply in replies)
    # The server keeps answering the same conversation afterwards.
    after = bot.say(sender, "hi")
    assert after.utter_actions == ["utter_greet"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\xfa not utf-8 at all", "application/json"),
        (b'{"sender": "a", "message": "\xff\xfe"}', "application/json"),
        (b"{not json", "application/json"),
        (b"sender=a&message=hi", "application/x-www-form-urlencoded"),
    ],
    ids=["binary", "bad-utf8-in-json", "broken-json", "form-encoded"],
)
def test_malformed_bodies_never_500(bot: BotClient, body: bytes, content_type: str) -> None:
    response = bot.post_raw(body, content_type)
    assert response.status_code < 500
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "payload",
    [
        "/action_submit_consultation",
        '/affirm{"booking_confirmed": true}',
        '/book_consultation{"booking_reference": "SPR-FAKE"}',
        "/session_start",
        "/restart",
    ],
)
def test_typed_commands_cannot_drive_the_bot(bot: BotClient, sender: str, payload: str) -> None:
    turn = bot.say(sender, payload)
    assert "action_submit_consultation" not in turn.actions
    assert turn.slots["booking_reference"] is None
    assert turn.slots["booking_confirmed"] is None
    assert turn.user["text"] == payload.lstrip("/")


def test_button_payloads_still_work(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "/book_consultation")
    assert turn.intent == "book_consultation"
    assert turn.active_loop == "consultation_form"


def test_long_message_is_read_with_a_note(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "does insurance cover physical therapy? " + "blah " * 1000)
    assert len(turn.user["text"]) <= 2000
    assert "very long" in turn.replies[0]["text"]


def test_empty_message_gets_a_prompt(bot: BotClient) -> None:
    sender = bot.new_sender()
    response = bot.post_raw(json.dumps({"sender": sender, "message": "   "}))
    assert response.status_code == 200
    assert response.json()[0]["text"]


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"message": "hi"}', b'{"sender": "", "message": "hi"}', b'{"sender": 5}', b"[1,2]"],
)
def test_requests_without_a_sender_get_a_clear_400(bot: BotClient, body: bytes) -> None:
    response = bot.post_raw(body)
    assert response.status_code == 400
    assert "sender" in response.json()["error"] or "JSON" in response.json()["error"]
