"""A repeated message id gets the stored replies instead of a second turn."""

from __future__ import annotations

import json

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from channels.replay import stored_replies, valid_message_id
from tests.support.bot_client import BotClient


def test_replies_of_the_message_with_that_id() -> None:
    events = [
        UserUttered("hi", message_id="m1"),
        BotUttered("Hello!"),
        ActionExecuted("action_listen"),
        UserUttered("book please", message_id="m2"),
        BotUttered("What's your name?", {"buttons": [{"title": "Cancel", "payload": "/cancel"}]}),
        ActionExecuted("action_listen"),
        UserUttered("Maria", message_id="m3"),
    ]
    assert stored_replies(events, "p", "m1") == [{"recipient_id": "p", "text": "Hello!"}]
    assert stored_replies(events, "p", "m2") == [
        {
            "recipient_id": "p",
            "text": "What's your name?",
            "buttons": [{"title": "Cancel", "payload": "/cancel"}],
        }
    ]
    assert stored_replies(events, "p", "m3") == []  # stored, not answered yet
    assert stored_replies(events, "p", "unknown") is None


def test_message_ids_are_short_strings() -> None:
    assert valid_message_id(None) and valid_message_id("abc")
    assert not valid_message_id("") and not valid_message_id(12) and not valid_message_id("x" * 129)


def send(bot: BotClient, sender: str, message: str, message_id: object) -> list[dict]:
    body = {"sender": sender, "message": message, "message_id": message_id}
    response = bot.post_raw(json.dumps(body))
    assert response.status_code == 200, response.text
    return response.json()


def user_texts(bot: BotClient, sender: str) -> list[str]:
    return [e["text"] for e in bot.tracker(sender)["events"] if e["event"] == "user"]


def test_a_repeated_answer_does_not_move_the_form_on(bot: BotClient, sender: str) -> None:
    send(bot, sender, "I'd like to book a free consultation", "m-1")
    first = send(bot, sender, "Maria Lopez", "m-2")
    again = send(bot, sender, "Maria Lopez", "m-2")

    assert again == first
    assert user_texts(bot, sender).count("Maria Lopez") == 1
    slots = bot.tracker(sender)["slots"]
    assert slots["parent_name"] == "Maria Lopez" and slots["requested_slot"] == "child_name"
    # A new id is a new message, even with the same words.
    send(bot, sender, "Leo", "m-3")
    assert bot.tracker(sender)["slots"]["requested_slot"] != "child_name"


def test_a_bad_message_id_is_a_clear_400(bot: BotClient, sender: str) -> None:
    response = bot.post_raw(json.dumps({"sender": sender, "message": "hi", "message_id": 7}))
    assert response.status_code == 400
    assert "message_id" in response.json()["error"]
