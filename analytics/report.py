"""The weekly figures, computed from the stored events of one period.

Definitions (also printed under the report, so staff read the same thing):
- a conversation is one Rasa session (events between two `session_started`) of one
  sender with at least one message from the family in the period;
- a message is not understood when the fallback action (`action_default_fallback`
  or `utter_default`) ran before the family's next message, or when NLU predicted
  `nlu_fallback` while no form was asking a question (inside the booking form such a
  message is usually a name or an answer the form reads itself); the fallback rate
  is those over all family messages;
- an FAQ question is a message whose FAQ topic the assistant answered (`utter_faq`
  ran after it; inside the booking form an answer such as "at home" can look like
  an FAQ question to NLU and is then read by the form instead);
- a triage outcome is a `recommended_therapy` value set by `action_suggest_therapy`;
- a booking is a `booking_reference` set by `action_submit_consultation`;
- a handoff is a run of `action_handoff_to_human`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import groupby

from analytics.events import EventRecord
from analytics.redact import redact

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "utter_default"})
FAQ_ACTION = "utter_faq"
TRIAGE_ACTION = "action_suggest_therapy"
BOOKING_ACTION = "action_submit_consultation"
HANDOFF_ACTION = "action_handoff_to_human"
TRIAGE_LABELS = {"pt": "PT", "ot": "OT", "both": "PT and OT", "other": "neither (e.g. speech)"}
DEFAULT_UNDERSTOOD_LIMIT = 20

DEFINITIONS = (
    "Conversation: one session of one sender with at least one message from the family.\n"
    "Fallback rate: family messages after which the fallback action (action_default_fallback\n"
    "or utter_default) ran, or that NLU classified as nlu_fallback outside the booking form,\n"
    "over all family messages.\n"
    "FAQ question: a message whose topic utter_faq answered.\n"
    "Triage: the therapy action_suggest_therapy suggested. Booking: a reference set by\n"
    "action_submit_consultation. Handoff: a run of action_handoff_to_human."
)


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC."""

    start: datetime
    end: datetime

    def days(self) -> list[date]:
        first = self.start.date()
        last = (self.end - timedelta(microseconds=1)).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def label(self) -> str:
        last = self.end - timedelta(microseconds=1)
        return f"{self.start:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC"


@dataclass
class Report:
    """Everything the clinic sees for one period."""

    period: Period
    conversations: int = 0
    messages: int = 0
    not_understood: int = 0
    faq_topics: Counter[str] = field(default_factory=Counter)
    triage: Counter[str] = field(default_factory=Counter)
    bookings: int = 0
    handoffs: int = 0
    conversations_per_day: Counter[date] = field(default_factory=Counter)
    bookings_per_day: Counter[date] = field(default_factory=Counter)
    not_understood_texts: Counter[str] = field(default_factory=Counter)

    @property
    def fallback_rate(self) -> float:
        return self.not_understood / self.messages if self.messages else 0.0

    @property
    def faq_questions(self) -> int:
        return sum(self.faq_topics.values())


def _day(record: EventRecord) -> date:
    return record.occurred_at.date()


def _conversation(report: Report, events: Sequence[EventRecord]) -> None:
    """Add one sender's events of one session to the report."""
    users = [e for e in events if e.event_type == "user"]
    if users:
        report.conversations += 1
        report.conversations_per_day[_day(users[0])] += 1
    last_action: str | None = None
    form: str | None = None  # the active form, from active_loop events
    pending: EventRecord | None = None  # the latest family message, until judged
    pending_missed = False
    pending_answered = False  # its FAQ topic was answered (counted once)
    references: set[str] = set()

    def judge() -> None:
        if pending is not None and pending_missed:
            report.not_understood += 1
            # Redacted when stored; again here in case a row predates a better rule.
            report.not_understood_texts[redact(pending.text or "")] += 1

    for event in events:
        if event.event_type == "user":
            judge()
            report.messages += 1
            pending, pending_answered = event, False
            pending_missed = event.intent == FALLBACK_INTENT and form is None
        elif event.event_type == "active_loop":
            form = event.name
        elif event.event_type == "action":
            last_action = event.name
            if event.name in FALLBACK_ACTIONS and pending is not None:
                pending_missed = True
            if (
                event.name == FAQ_ACTION
                and pending is not None
                and pending.faq_topic
                and not pending_answered
            ):
                pending_answered = True
                report.faq_topics[pending.faq_topic] += 1
            if event.name == HANDOFF_ACTION:
                report.handoffs += 1
        elif event.event_type == "slot" and event.value not in (None, "None"):
            if event.name == "recommended_therapy" and last_action == TRIAGE_ACTION:
                report.triage[event.value] += 1
            if (
                event.name == "booking_reference"
                and last_action == BOOKING_ACTION
                and event.value not in references
            ):
                references.add(event.value)
                report.bookings += 1
                report.bookings_per_day[_day(event)] += 1
    judge()


def _sessions(events: Iterable[EventRecord]) -> Iterable[list[EventRecord]]:
    """Split one sender's ordered events at each session start."""
    current: list[EventRecord] = []
    for event in events:
        if event.event_type == "session_started" and current:
            yield current
            current = []
        current.append(event)
    if current:
        yield current


def build_report(period: Period, records: Iterable[EventRecord]) -> Report:
    """The report for records ordered by sender, then time (as EventStore.between returns)."""
    report = Report(period=period)
    for _sender, events in groupby(records, key=lambda r: r.sender_id):
        for session in _sessions(events):
            _conversation(report, session)
    return report


def week_period(year: int, week: int) -> Period:
    """Monday 00:00 UTC of an ISO week to the Monday after."""
    start = datetime.fromisocalendar(year, week, 1).replace(tzinfo=timezone.utc)
    return Period(start, start + timedelta(days=7))


def _table(rows: Sequence[tuple[str, str]], indent: str = "  ") -> list[str]:
    width = max((len(label) for label, _ in rows), default=0)
    return [f"{indent}{label:<{width}}  {value}" for label, value in rows]


def render(report: Report, limit: int = DEFAULT_UNDERSTOOD_LIMIT) -> str:
    """The report as plain text for a terminal or an email."""
    rate = f"{report.fallback_rate * 100:.1f} %"
    lines = [f"Sprout report, {report.period.label()}", ""]
    lines += _table(
        [
            ("Conversations", str(report.conversations)),
            ("Messages from families", str(report.messages)),
            ("FAQ questions answered", str(report.faq_questions)),
            ("Not understood (fallback)", f"{report.not_understood} ({rate} of messages)"),
            ("Triage suggestions", str(sum(report.triage.values()))),
            ("Bookings", str(report.bookings)),
            ("Handoffs to the team", str(report.handoffs)),
        ],
        indent="",
    )
    lines += ["", "Top FAQ topics"]
    topics = report.faq_topics.most_common(10)
    lines += _table([(t, str(n)) for t, n in topics]) if topics else ["  none"]
    lines += ["", "Triage outcomes (which therapy might fit)"]
    values = [*TRIAGE_LABELS, *sorted(set(report.triage) - set(TRIAGE_LABELS))]
    lines += _table([(TRIAGE_LABELS.get(v, v), str(report.triage[v])) for v in values])
    lines += ["", "Conversations and bookings per day"]
    lines += _table(
        [
            (
                f"{day:%a %Y-%m-%d}",
                f"{report.conversations_per_day[day]:>4} conversation(s), "
                f"{report.bookings_per_day[day]} booking(s)",
            )
            for day in report.period.days()
        ]
    )
    lines += ["", "Messages not understood (contact details and names redacted)"]
    texts = report.not_understood_texts.most_common(limit)
    lines += [f"  {n:>3}x  {text or '(empty)'}" for text, n in texts] if texts else ["  none"]
    hidden = len(report.not_understood_texts) - len(texts)
    if hidden > 0:
        lines.append(f"  ... and {hidden} more")
    lines += ["", "How these are counted", *("  " + d for d in DEFINITIONS.splitlines())]
    return "\n".join(lines)
