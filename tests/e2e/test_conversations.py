"""The contract's observable behaviour, through the REST channel and the tracker."""

from __future__ import annotations

import pytest

from tests.support.bot_client import BotClient

EMERGENCIES = [
    "my baby isn't breathing",
    "she's having a seizure",
    "HELP my son is turning blue",
]


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("cost?", "insurance"),
        ("is it safe for newborns", "newborn_safety"),
        ("whats the diffrence between physio and occupational therapy", "pt_vs_ot"),
        ("how do we get started", "getting_started"),
    ],
)
def test_faq_answered_with_its_key(bot: BotClient, sender: str, message: str, key: str) -> None:
    turn = bot.say(sender, message)
    assert (
        turn.user["parse_data"]["response_selector"]["faq"]["response"]["intent_response_key"]
        == f"faq/{key}"
    )
    assert turn.utter_actions == [f"utter_faq/{key}"]
    assert turn.replies and turn.replies[0]["text"]


def test_clinic_details_fill_the_answers(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "does insurance pay for physical therapy?")
    text = " ".join(turn.texts)
    assert "{" not in text
    assert turn.slots["clinic_phone"] and turn.slots["clinic_phone"] in text


@pytest.mark.parametrize("message", EMERGENCIES)
def test_emergency_at_the_start(bot: BotClient, sender: str, message: str) -> None:
    turn = bot.say(sender, message)
    assert turn.utter_actions == ["utter_emergency"]
    assert turn.slots["emergency_number"] in turn.texts[0]


def test_emergency_after_other_turns(bot: BotClient, sender: str) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "what is occupational therapy")
    turn = bot.say(sender, "my baby fell off the bed and now he won't wake up")
    assert "utter_emergency" in turn.utter_actions


def test_emergency_inside_the_booking_form(bot: BotClient, sender: str) -> None:
    bot.say(sender, "I'd like to book a free consultation")
    bot.say(sender, "Maria")
    turn = bot.say(sender, "she's choking and can't breathe")
    assert turn.utter_actions == ["utter_emergency"]
    assert len(turn.texts) == 1, "no form question after the emergency answer"
    assert turn.active_loop is None


@pytest.mark.parametrize(
    ("message", "response"),
    [
        ("hello there", "utter_greet"),
        ("thanks so much", "utter_thank"),
        ("bye for now", "utter_goodbye"),
        ("are you a robot", "utter_bot_challenge"),
        ("what can you do", "utter_help"),
        ("what's the weather like tomorrow", "utter_out_of_scope"),
        ("I need rehab after my knee replacement", "utter_out_of_scope"),
    ],
)
def test_core_intents(bot: BotClient, sender: str, message: str, response: str) -> None:
    assert bot.say(sender, message).utter_actions == [response]


def test_gibberish_gets_the_fallback(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "qwzx vlorp bnnnt kk")
    assert turn.intent == "nlu_fallback"
    assert turn.utter_actions == ["utter_default"]


def test_help_says_it_is_not_medical_advice(bot: BotClient, sender: str) -> None:
    text = " ".join(bot.say(sender, "what can you help me with?").texts).lower()
    assert "not medical advice" in text


def test_handoff_runs_the_handoff_action(bot: BotClient, sender: str) -> None:
    turn = bot.say(sender, "can I talk to a real person please")
    assert "action_handoff_to_human" in turn.actions
    assert turn.slots["clinic_phone"] in " ".join(turn.texts)
