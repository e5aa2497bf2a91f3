"""The report's definitions, checked on hand-made event sequences."""

from __future__ import annotations

from datetime import datetime, timezone

from analytics.events import EventRecord
from analytics.report import Period, build_report, render, week_period

WEEK = week_period(2026, 48)
BASE = WEEK.start.timestamp()


class Conversation:
    """Builds one sender's events in order, one second apart."""

    def __init__(self, sender: str, day: int = 0) -> None:
        self.sender = sender
        self.clock = BASE + day * 86_400 + 3_600
        self.events: list[EventRecord] = []

    def _add(self, kind: str, **fields: str | None) -> Conversation:
        self.clock += 1
        self.events.append(
            EventRecord(self.sender, kind, self.clock, f"d{len(self.events)}", **fields)
        )
        return self

    def start(self) -> Conversation:
        return self._add("session_started")._add("action", name="action_session_start")

    def user(self, text: str, intent: str, topic: str | None = None) -> Conversation:
        return self._add("user", text=text, intent=intent, faq_topic=topic)

    def action(self, name: str) -> Conversation:
        return self._add("action", name=name)

    def slot(self, name: str, value: str | None) -> Conversation:
        return self._add("slot", name=name, value=value)

    def loop(self, name: str | None) -> Conversation:
        return self._add("active_loop", name=name)


def report_of(*conversations: Conversation, period: Period = WEEK):
    records = sorted(
        (e for c in conversations for e in c.events), key=lambda e: (e.sender_id, e.timestamp)
    )
    return build_report(period, records)


def test_counts_follow_the_definitions() -> None:
    faq = (
        Conversation("a")
        .start()
        .user("cost?", "faq", "insurance")
        .action("utter_faq")
        .user("is it safe", "faq", "newborn_safety")
        .action("utter_faq")
        .user("qwzx", "nlu_fallback")
        .action("utter_default")
    )
    triage = (
        Conversation("b", day=2)
        .start()
        .user("he can't hold a spoon", "describe_concern")
        .action("action_suggest_therapy")
        .slot("recommended_therapy", "ot")
        .user("book a consultation", "book_consultation")
        .action("consultation_form")
        .user("yes", "affirm")
        .action("action_submit_consultation")
        .slot("booking_reference", "SPR-7K3Q")
    )
    handoff = (
        Conversation("c", day=2)
        .start()
        .user("blah", "out_of_scope")
        .action("action_default_fallback")
        .user("a real person please", "human_handoff")
        .action("action_handoff_to_human")
    )
    report = report_of(faq, triage, handoff)
    assert report.conversations == 3
    assert report.messages == 8
    assert report.faq_topics == {"insurance": 1, "newborn_safety": 1}
    assert report.not_understood == 2  # nlu_fallback, and a message the core fallback answered
    assert report.not_understood_texts == {"qwzx": 1, "blah": 1}
    assert report.triage == {"ot": 1}
    assert (report.bookings, report.handoffs) == (1, 1)
    day_two = WEEK.days()[2]
    assert report.conversations_per_day[day_two] == 2
    assert report.bookings_per_day[day_two] == 1
    assert abs(report.fallback_rate - 2 / 8) < 1e-9


def test_slots_carried_into_a_new_session_are_not_counted_again() -> None:
    conversation = (
        Conversation("a")
        .start()
        .user("he can't walk", "describe_concern")
        .action("action_suggest_therapy")
        .slot("recommended_therapy", "pt")
        .user("yes", "affirm")
        .action("action_submit_consultation")
        .slot("booking_reference", "SPR-AAAA")
        .start()
        .slot("recommended_therapy", "pt")
        .slot("booking_reference", "SPR-AAAA")
        .user("thanks", "thank")
    )
    report = report_of(conversation)
    assert report.conversations == 2
    assert (report.triage["pt"], report.bookings) == (1, 1)


def test_a_session_without_messages_is_no_conversation() -> None:
    assert report_of(Conversation("a").start()).conversations == 0


def test_rendered_report_explains_the_fallback_rate() -> None:
    text = render(report_of(Conversation("a").start().user("qwzx", "nlu_fallback")))
    assert "1 (100.0 % of messages)" in text
    assert "nlu_fallback" in text and "action_default_fallback" in text
    assert "qwzx" in text


def test_iso_week_runs_monday_to_monday() -> None:
    period = week_period(2026, 48)
    assert period.start == datetime(2026, 11, 23, tzinfo=timezone.utc)
    assert len(period.days()) == 7


def test_a_form_answer_nlu_could_not_classify_is_not_a_fallback() -> None:
    conversation = (
        Conversation("a")
        .start()
        .user("book a consultation", "book_consultation")
        .action("consultation_form")
        .loop("consultation_form")
        .user("Maria Lopez", "nlu_fallback")
        .action("consultation_form")
        .user("cancel", "cancel")
        .action("action_cancel_booking")
        .loop(None)
        .user("zzkq", "nlu_fallback")
        .action("utter_default")
    )
    report = report_of(conversation)
    assert report.messages == 4
    assert report.not_understood == 1
    assert report.not_understood_texts == {"zzkq": 1}


def test_an_faq_looking_form_answer_is_not_an_faq_question() -> None:
    conversation = (
        Conversation("a")
        .start()
        .user("book a consultation", "book_consultation")
        .action("consultation_form")
        .loop("consultation_form")
        .user("at home please", "faq", "therapy_settings")
        .action("consultation_form")
        .user("does insurance cover it?", "faq", "insurance")
        .action("utter_faq")
        .action("consultation_form")
    )
    assert report_of(conversation).faq_topics == {"insurance": 1}
