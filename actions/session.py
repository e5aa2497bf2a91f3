"""Conversation start: put the clinic's details into slots for the responses."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from sprout.settings import get_settings

# A new session starts a fresh question; a half-made confirmation must not survive.
_NOT_CARRIED_OVER = {"requested_slot", "booking_confirmed"}


def clinic_slots() -> list[SlotSet]:
    """Slots that let responses say {clinic_phone}, {emergency_number}, ..."""
    clinic = get_settings().clinic
    return [
        SlotSet("clinic_name", clinic.name),
        SlotSet("clinic_phone", clinic.phone),
        SlotSet("clinic_hours", clinic.hours),
        SlotSet("emergency_number", clinic.emergency_number),
    ]


class ActionSessionStart(Action):
    """Start a session like Rasa does, then load the clinic details."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        carried_over = [
            SlotSet(key, value)
            for key, value in tracker.slots.items()
            if value is not None and key not in _NOT_CARRIED_OVER and not key.startswith("clinic_")
        ]
        return [
            SessionStarted(),
            *carried_over,
            *clinic_slots(),
            ActionExecuted("action_listen"),
        ]
