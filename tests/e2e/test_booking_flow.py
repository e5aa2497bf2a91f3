"""The consultation form as a parent meets it, end to end, with real storage."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from actions import content
from tests.support.bot_client import BotClient


def fill_form(bot: BotClient, sender: str) -> None:
    bot.say(sender, "I want to book a consultation")
    bot.say(sender, "Maria Lopez")
    bot.say(sender, "Leo")
    bot.say(sender, "9 months")
    bot.say(sender, "maria@example.com")
    bot.say(sender, "at home please")


def test_whole_booking_is_stored_once(bot: BotClient, sender: str, database_url: str) -> None:
    fill_form(bot, sender)
    summary = bot.say(sender, "he isn't crawling yet and hates tummy time")
    assert summary.active_loop == "consultation_form"
    assert summary.slots["requested_slot"] == "booking_confirmed"
    assert "Leo" in summary.texts[-1] and "maria@example.com" in summary.texts[-1]

    done = bot.say(sender, "yes")
    assert "action_submit_consultation" in done.actions
    reference = done.slots["booking_reference"]
    assert re.fullmatch(r"SPR-[A-Z0-9]{4}", reference)
    assert reference in done.texts[-1]
    assert done.active_loop is None
    assert done.slots["child_age"] == "9 months"
    assert done.slots["visit_type"] == "in_home"

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("select child_name, contact from sprout_bookings where reference = :r"),
            {"r": reference},
        ).all()
    assert rows == [("Leo", "maria@example.com")]


def test_invalid_answers_are_asked_again(bot: BotClient, sender: str) -> None:
    bot.say(sender, "book an appointment")
    bot.say(sender, "Sam")
    bot.say(sender, "Ava")
    turn = bot.say(sender, "banana")
    assert turn.slots["child_age"] is None
    assert turn.slots["requested_slot"] == "child_age"
    turn = bot.say(sender, "2 yrs")
    turn = bot.say(sender, "abc123")
    assert turn.slots["contact"] is None
    assert turn.slots["requested_slot"] == "contact"
    turn = bot.say(sender, "(212) 555-0147")
    assert turn.slots["contact"] == "(212) 555-0147"
    assert turn.slots["requested_slot"] == "visit_type"


def test_cancel_leaves_the_form_without_a_booking(bot: BotClient, sender: str) -> None:
    bot.say(sender, "can I schedule a free consult")
    bot.say(sender, "Priya")
    turn = bot.say(sender, "never mind")
    assert turn.active_loop is None
    assert "action_submit_consultation" not in turn.actions
    assert turn.slots["booking_reference"] is None


def test_faq_inside_the_form_is_answered_and_the_form_resumes(bot: BotClient, sender: str) -> None:
    bot.say(sender, "I'd like to book a consultation")
    bot.say(sender, "Tom")
    turn = bot.say(sender, "wait, does insurance cover it?")
    assert turn.utter_actions[0] == "utter_faq/insurance"
    assert turn.active_loop == "consultation_form"
    assert turn.slots["requested_slot"] == "child_name"
    asked_again = content.fill(content.load("booking")["ask"]["child_name"], parent_name="Tom")
    assert turn.texts[-1] == asked_again


def test_handoff_inside_the_form(bot: BotClient, sender: str) -> None:
    bot.say(sender, "book a consultation please")
    turn = bot.say(sender, "actually can I just speak to a real person")
    assert "action_handoff_to_human" in turn.actions
    assert turn.active_loop is None


def test_long_first_message_fills_what_it_can(bot: BotClient, sender: str) -> None:
    turn = bot.say(
        sender,
        "Hi, I'm Maria Lopez and I'd like to book a home visit for my son Leo, he's 9 months "
        "old. My email is maria@example.com",
    )
    assert turn.active_loop == "consultation_form"
    assert turn.slots["parent_name"] == "Maria Lopez"
    assert turn.slots["child_name"] == "Leo"
    assert turn.slots["contact"] == "maria@example.com"
    assert turn.slots["visit_type"] == "in_home"
    assert turn.slots["requested_slot"] == "concern"


def test_triage_concern_is_carried_into_the_booking(bot: BotClient, sender: str) -> None:
    bot.say(sender, "my 2 year old can't walk up stairs and falls a lot")
    bot.say(sender, "book a consultation")
    bot.say(sender, "Sam")
    turn = bot.say(sender, "Noah")
    # Age and concern came from the triage turn, so the form moves on to contact.
    assert turn.slots["requested_slot"] == "contact"
    assert "falls a lot" in turn.slots["concern"]
