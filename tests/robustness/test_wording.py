"""Every text a parent can receive avoids diagnoses and promises, wherever it comes from.

tests/content/test_answers.py checks the YAML responses; this adds what code
writes: triage explanations and age notes, booking prompts and summaries, the
handoff message, and the channels' own replies. The health-information note is
checked in a live conversation as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.handoff import handoff_message
from actions.logic.age import age_note
from actions.logic.triage import assess, explain
from actions.wiring import get_nlp
from channels.guard import TRUNCATION_NOTE
from channels.limits import throttled_reply, too_large_reply
from channels.replies import empty_message_reply, trouble_reply
from channels.sms import TEXTS as SMS_TEXTS
from sprout.settings import get_settings
from tests.content.test_answers import FORBIDDEN, domain_responses, faq_responses
from tests.support.bot_client import BotClient

ROOT = Path(__file__).resolve().parents[2]
EXEMPT = "can't diagnose"


def forbidden_in(text: str) -> list[str]:
    lowered = text.lower()
    if EXEMPT in lowered:
        return []
    return [word for word in FORBIDDEN if word in lowered]


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def test_booking_texts() -> None:
    texts = strings_in(yaml.safe_load((ROOT / "content" / "booking.yml").read_text("utf-8")))
    assert len(texts) > 15
    assert {text: forbidden_in(text) for text in texts if forbidden_in(text)} == {}


def test_triage_explanations_for_every_labelled_case() -> None:
    cases = yaml.safe_load((ROOT / "tests" / "data" / "triage_cases.yml").read_text("utf-8"))
    nlp = get_nlp()
    texts = []
    for case in cases["cases"]:
        assessment = assess(case["text"], nlp)
        if assessment.therapy is not None:
            texts.append(explain(assessment, previous=None))
    assert len(texts) >= 90
    assert {text: forbidden_in(text) for text in texts if forbidden_in(text)} == {}


def test_age_notes() -> None:
    notes = {
        age_note(months, therapy)
        for months in range(0, 217, 3)
        for therapy in ("pt", "ot", "both", "other")
    } - {None}
    assert notes
    assert {note: forbidden_in(note) for note in notes if forbidden_in(note)} == {}


def test_handoff_messages_open_and_closed() -> None:
    clinic = get_settings().clinic
    start = datetime(2026, 11, 30, tzinfo=timezone.utc)  # a Monday
    texts = {
        handoff_message(clinic, start + timedelta(hours=hour), contact)
        for hour in range(0, 24 * 7, 5)
        for contact in (None, "+1 555 010 0123")
    }
    assert len(texts) > 2
    assert {text: forbidden_in(text) for text in texts if forbidden_in(text)} == {}


def test_channel_replies() -> None:
    clinic = get_settings().clinic
    texts = [
        TRUNCATION_NOTE,
        trouble_reply(),
        empty_message_reply(),
        throttled_reply(),
        too_large_reply(65536),
        *(text.format(clinic=clinic.name, phone=clinic.phone) for text in SMS_TEXTS.values()),
    ]
    assert {text: forbidden_in(text) for text in texts if forbidden_in(text)} == {}


def test_the_yaml_responses_are_all_scanned() -> None:
    """Guards the scan in test_answers.py against a response file it does not read."""
    scanned = set(faq_responses()) | set(domain_responses())
    files = [ROOT / "domain.yml", *(ROOT / "data").rglob("*.yml")]
    declared = set()
    for path in files:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        declared |= set((data.get("responses") or {}) if isinstance(data, dict) else {})
    assert declared <= scanned


@pytest.mark.model
@pytest.mark.server
@pytest.mark.parametrize(
    "question",
    ["is physical therapy safe for newborns?", "when should I ask my pediatrician about PT?"],
)
def test_the_health_information_note_reaches_the_parent(bot: BotClient, question: str) -> None:
    turn = bot.say(bot.new_sender(), question)
    assert any("not medical advice" in (reply.get("text") or "") for reply in turn.replies)
