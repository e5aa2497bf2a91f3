"""PT or OT? Suggest a therapy from what the parent describes."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text
from actions.logic.age import age_note, find_age
from actions.logic.triage import Assessment, assess, explain
from actions.wiring import get_nlp

BOOK_BUTTONS = [
    {"title": "Book a free consultation", "payload": "/book_consultation"},
    {"title": "Talk to our team", "payload": "/human_handoff"},
]


class ActionSuggestTherapy(Action):
    """Reads the concern, adds it to earlier ones and explains the suggestion."""

    def name(self) -> str:
        return "action_suggest_therapy"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        text = latest_text(tracker)
        previous = Assessment.from_slot(tracker.get_slot("concern_signs"))
        combined = previous.merge(assess(text, get_nlp()))
        events: list[EventType] = []

        age = find_age(text)
        if age is not None:
            events.append(SlotSet("child_age", age.phrase))

        therapy = combined.therapy
        if therapy is None:
            dispatcher.utter_message(response="utter_ask_child_difficulties")
            return events

        message = explain(combined, previous=previous.therapy)
        months = age.months if age is not None else None
        note = age_note(months, therapy) if months is not None else None
        if note:
            message = f"{message} {note}"
        buttons = BOOK_BUTTONS if therapy in ("pt", "ot", "both") else BOOK_BUTTONS[1:]
        dispatcher.utter_message(text=message, buttons=buttons)
        return [
            *events,
            SlotSet("concern_signs", combined.to_slot()),
            SlotSet("recommended_therapy", therapy),
            SlotSet("concern", text.strip()[:500] or None),
        ]
