"""The FAQ response selector runs for FAQ questions only, through the real model."""

from __future__ import annotations

import pytest

from tests.support.bot_client import BotClient, faq_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("do you take insurance?", "insurance"),
        ("what's the difference between PT and OT", "pt_vs_ot"),
    ],
)
def test_faq_questions_get_an_answer_key(bot: BotClient, text: str, key: str) -> None:
    parsed = bot.parse(text)
    assert parsed["intent"]["name"] == "faq"
    assert faq_key(parsed) == key
    assert parsed["intent"].get("full_retrieval_intent_name") == f"faq/{key}"


@pytest.mark.parametrize(
    "text", ["hi there", "my 9 month old isn't crawling yet", "yes please", "thanks, bye"]
)
def test_other_messages_skip_the_selector(bot: BotClient, text: str) -> None:
    parsed = bot.parse(text)
    assert parsed["intent"]["name"] != "faq"
    assert "response_selector" not in parsed


def test_an_faq_turn_still_answers_from_the_selected_key(bot: BotClient) -> None:
    sender = bot.new_sender()
    bot.say(sender, "hello")
    turn = bot.say(sender, "do you take insurance?")
    assert turn.user["parse_data"]["response_selector"]["faq"]["response"][
        "intent_response_key"
    ] == ("faq/insurance")
    assert turn.texts
