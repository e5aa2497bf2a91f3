"""Handing the family to a person on the clinic's team."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_channel, latest_text, transcript
from actions.logic.hours import describe_opening, is_open, next_opening
from actions.notifications import deliver_in_background
from actions.wiring import get_store
from sprout.settings import ClinicSettings, get_settings
from storage import HandoffRequest

logger = logging.getLogger(__name__)
BOOK_BUTTON = {"title": "Book a free consultation", "payload": "/book_consultation"}


def handoff_message(clinic: ClinicSettings, now: datetime, contact: str | None) -> str:
    """What the parent is told: who will reply, how, and when."""
    if is_open(now, clinic.opening_hours, clinic.timezone):
        reach = (
            f"Someone from our front-desk team will contact you at {contact} as soon as they can."
            if contact
            else "If you'd like a call back, book a free consultation and leave your number."
        )
        return (
            "Of course - I've passed your message to our team. For the quickest answer, "
            f"call us now at {clinic.phone}. {reach}"
        )
    opening = next_opening(now, clinic.opening_hours, clinic.timezone)
    when = f"We open again {describe_opening(opening, now)}" if opening else "We're closed now"
    return (
        f"Our team isn't in right now ({clinic.hours}). {when}, and I've left them a note "
        f"that you'd like to talk. You can call us then at {clinic.phone}, email {clinic.email}, "
        "or book a free consultation now and we'll call you back."
    )


class ActionHandoffToHuman(Action):
    """Records the request with the conversation so far and tells the parent what happens."""

    def name(self) -> str:
        return "action_handoff_to_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        clinic = get_settings().clinic
        try:
            get_store().save_handoff(
                HandoffRequest(
                    conversation_key=tracker.sender_id,
                    channel=latest_channel(tracker),
                    reason=latest_text(tracker)[:500],
                    transcript=transcript(tracker),
                )
            )
            deliver_in_background()
        except Exception as error:
            logger.error("handoff request not stored: %s", type(error).__name__)
        message = handoff_message(clinic, datetime.now(timezone.utc), tracker.get_slot("contact"))
        dispatcher.utter_message(text=message, buttons=[BOOK_BUTTON])
        return []
