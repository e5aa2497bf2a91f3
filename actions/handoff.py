"""Handing the family to a person on the clinic's team."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_channel, latest_text
from actions.notifications import deliver_in_background
from actions.wiring import get_store
from sprout.settings import get_settings
from storage import HandoffRequest

logger = logging.getLogger(__name__)


class ActionHandoffToHuman(Action):
    """Records the request for the team and tells the parent how to reach a person now."""

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
                )
            )
            deliver_in_background()
        except Exception:
            logger.exception("handoff request could not be stored")
        dispatcher.utter_message(
            text=f"Of course - a person from our team can help. You can call us at {clinic.phone} "
            f"or email {clinic.email} ({clinic.hours}). I've noted that you'd like to talk "
            "to someone. If you'd like a call back, book a free consultation and leave "
            "your number.",
            buttons=[{"title": "Book a free consultation", "payload": "/book_consultation"}],
        )
        return []
