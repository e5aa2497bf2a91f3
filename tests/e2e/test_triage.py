"""PT or OT? Suggestions made in the same turn, read back from the tracker."""

from __future__ import annotations

import pytest

from tests.support.bot_client import BotClient


@pytest.mark.parametrize(
    ("message", "therapy"),
    [
        ("my 9 month old isn't crawling and hates tummy time", "pt"),
        ("she can't hold a crayon and screams when her hands get messy", "ot"),
        ("he crawls fine, it's his pincer grasp I worry about", "ot"),
        ("No problems with feeding, but she only turns her head one way", "pt"),
        ("my son has cerebral palsy", "both"),
        ("she's 2 and isn't talking yet", "other"),
    ],
)
def test_concern_gets_a_suggestion_in_the_same_turn(
    bot: BotClient, sender: str, message: str, therapy: str
) -> None:
    turn = bot.say(sender, message)
    assert turn.intent == "describe_concern"
    assert "action_suggest_therapy" in turn.actions
    assert turn.slots["recommended_therapy"] == therapy
    assert turn.texts and all("your child has" not in t.lower() for t in turn.texts)


def test_concerns_add_up_across_turns(bot: BotClient, sender: str) -> None:
    first = bot.say(sender, "my 14 month old isn't walking yet")
    assert first.slots["recommended_therapy"] == "pt"
    assert first.slots["child_age"] and "14" in first.slots["child_age"]
    second = bot.say(sender, "and he also can't use a spoon")
    assert second.slots["recommended_therapy"] == "both"


def test_asking_which_therapy_first_asks_about_the_child(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "does my son need PT or OT?")
    assert turn.intent == "ask_which_therapy"
    assert turn.slots["recommended_therapy"] is None
    answer = bot.say(sender, "he is 3 and keeps falling over and can't jump")
    assert answer.slots["recommended_therapy"] == "pt"


def test_suggestion_offers_a_consultation(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "my daughter is 4 and can't do buttons or hold a pencil properly")
    payloads = [b["payload"] for r in turn.replies for b in r.get("buttons", [])]
    assert "/book_consultation" in payloads
