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
    assert isinstance(response.json(), list)
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
