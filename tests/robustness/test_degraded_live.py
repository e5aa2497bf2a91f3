"""A running assistant with tight limits: rate limiting on every channel, a frozen
action server, and what the two servers write to their logs.

One stack for the module, configured through the environment the way a clinic
would: 4 messages per sender per hour, a 10 s turn timeout, Rasa at DEBUG (so
the log check sees everything Rasa can write), and the SMS channel on.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from channels.limits import throttled_reply
from channels.replies import trouble_reply
from tests.channels.sms_twilio_standin import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    HASH_KEY,
    PUBLIC_URL,
    TWILIO_NUMBER,
    TwilioStandIn,
    new_phone,
)
from tests.support.bot_client import BotClient
from tools.stack import Stack, running_stack
from tools.widget_client import WidgetClient

pytestmark = [pytest.mark.model, pytest.mark.server]
LIMIT = 4
PERSONAL = {
    "name": "Marisol Quintanilla",
    "email": "marisol.q@example.org",
    "phone": "+1 555 010 0177",
}


@dataclass
class Degraded:
    stack: Stack
    bot: BotClient
    twilio: TwilioStandIn
    logs: Path


@pytest.fixture(scope="module")
def degraded(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Degraded]:
    logs = tmp_path_factory.mktemp("degraded-logs")
    db = tmp_path_factory.mktemp("degraded-db") / "sprout.db"
    env = {
        **os.environ,
        "SPROUT_DATABASE_URL": f"sqlite:///{db}",
        "SPROUT_NOTIFY_FILE": str(db.parent / "notifications.jsonl"),
        "SPROUT_RATE_LIMIT_MESSAGES": str(LIMIT),
        "SPROUT_RATE_LIMIT_WINDOW_S": "3600",
        "SPROUT_TURN_TIMEOUT_S": "10",
        "LOG_LEVEL": "DEBUG",
        "SPROUT_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "SPROUT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SPROUT_TWILIO_NUMBER": TWILIO_NUMBER,
        "SPROUT_SMS_PUBLIC_URL": PUBLIC_URL,
        "SPROUT_SMS_HASH_KEY": HASH_KEY,
    }
    with running_stack(trained_model, env=env, log_dir=logs, token="t" + uuid.uuid4().hex) as stack:
        yield Degraded(stack, BotClient(stack.url, stack.token), TwilioStandIn(stack.url), logs)


def post(degraded: Degraded, sender: str, message: str) -> requests.Response:
    return requests.post(
        f"{degraded.stack.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=120,
    )


def test_rest_sender_over_the_limit_gets_429_with_a_sentence(degraded: Degraded) -> None:
    sender = degraded.bot.new_sender()
    assert [post(degraded, sender, "hi").status_code for _ in range(LIMIT)] == [200] * LIMIT
    held = post(degraded, sender, "does insurance cover PT?")
    assert held.status_code == 429
    assert held.json()[0]["text"] == throttled_reply()
    assert int(held.headers["Retry-After"]) > 0
    users = [e for e in degraded.bot.tracker(sender)["events"] if e["event"] == "user"]
    assert len(users) == LIMIT  # the held-back message never reached Rasa
    # Another family is not affected, and an emergency is never held back.
    assert post(degraded, degraded.bot.new_sender(), "hi").status_code == 200
    urgent = degraded.bot.say(sender, "my baby isn't breathing")
    assert "utter_emergency" in urgent.utter_actions


def test_website_session_over_the_limit_is_told_once(degraded: Degraded) -> None:
    async def scenario() -> tuple[list[str], str]:
        widget = WidgetClient()
        await widget.start(degraded.stack.url)
        try:
            texts = []
            for _ in range(LIMIT + 1):
                replies = await widget.send({"message": "hi", "session_id": widget.session_id}, 0.5)
                texts.append(replies[0]["text"])
            # Over the limit again: no second notice. The emergency after it is
            # answered, and its answer is the next thing this socket receives.
            await widget.sio.emit(
                "user_uttered", {"message": "hi", "session_id": widget.session_id}
            )
            urgent = (
                await widget.send(
                    {"message": "he's having a seizure", "session_id": widget.session_id}, 0.5
                )
            )[0]
            return texts, urgent["text"]
        finally:
            await widget.sio.disconnect()

    texts, urgent = asyncio.run(scenario())
    assert texts[-1] == throttled_reply()
    assert throttled_reply() not in texts[:-1]
    assert "911" in urgent and urgent != throttled_reply()


def test_sms_number_over_the_limit_is_told_once_and_stop_still_works(degraded: Degraded) -> None:
    number = new_phone()
    for _ in range(LIMIT):
        assert degraded.twilio.text("hi", number).messages
    notice = degraded.twilio.text("hello?", number)
    assert "faster than I can read" in notice.text
    assert degraded.twilio.text("hello??", number).messages == []
    stop = degraded.twilio.text("STOP", number)
    assert "unsubscribed" in stop.text


def test_frozen_action_server_gets_a_phone_number_then_recovers(degraded: Degraded) -> None:
    bot = degraded.bot
    sender = bot.new_sender()
    assert "action_handoff_to_human" in bot.say(sender, "can I talk to a real person").actions

    actions = degraded.stack.processes[0]
    actions.send_signal(signal.SIGSTOP)
    try:
        stalled = post(degraded, sender, "I'd like to speak to someone on your team please")
    finally:
        actions.send_signal(signal.SIGCONT)
    assert stalled.status_code == 200
    assert stalled.json()[-1]["text"] == trouble_reply()

    back = bot.say(sender, "can I talk to a real person")
    assert "action_handoff_to_human" in back.actions
    assert back.replies[-1]["text"] != trouble_reply()


def test_logs_are_json_lines_without_personal_details(degraded: Degraded) -> None:
    bot = degraded.bot
    sender = bot.new_sender()
    bot.say(sender, "I'd like to book a consultation")
    bot.say(sender, PERSONAL["name"])
    bot.say(sender, "Leo")  # the form echoes the names back: "Thanks, Marisol..."
    bot.say(sender, f"my name is {PERSONAL['name']}, email {PERSONAL['email']}")
    bot.say(degraded.bot.new_sender(), f"call me on {PERSONAL['phone']}")
    degraded.twilio.text(f"I'm {PERSONAL['name']}", "+15550100177")

    text = "".join(p.read_text("utf-8", "replace") for p in sorted(degraded.logs.glob("*.log")))
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    loggers = {entry["logger"].split(".")[0] for entry in entries}
    assert {"rasa", "rasa_sdk"} <= loggers
    assert any(entry["level"] == "DEBUG" for entry in entries)  # Rasa really logged at DEBUG
    for value in (*PERSONAL.values(), "Marisol", "Quintanilla", "5550100177", "555 010 0177"):
        assert value not in text, value
