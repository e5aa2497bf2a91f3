"""The free-consultation booking: validate answers, confirm, store exactly once.

Texts come from content/booking.yml so the clinic can reword them without
touching code.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import content
from actions.conversation import latest_channel, latest_text
from actions.logic.age import parse_age
from actions.logic.contact import clean_name, parse_contact, parse_visit_type
from actions.logic.prefill import prefill_booking
from actions.notifications import deliver_in_background
from actions.wiring import get_store
from sprout.settings import get_settings
from storage import BookingRequest

logger = logging.getLogger(__name__)

FORM_NAME = "consultation_form"
ASKED_SLOTS = ("parent_name", "child_name", "child_age", "contact", "visit_type", "concern")
VISIT_LABELS = {"in_home": "at home", "in_clinic": "at the clinic", "virtual": "online by video"}
MAX_CONCERN_LENGTH = 500
# Messages with these intents are commands, never answers to the form.
COMMANDS = {"cancel", "emergency", "human_handoff"}
# Messages with these intents are answered by rules when they are questions.
QUESTIONS = {"faq", "help", "bot_challenge", "ask_which_therapy", "out_of_scope"}
_QUESTION_START = re.compile(
    r"^\s*(?:what|how|why|when|where|who|which|does|do|is|are|can|could|will|would|should)\b",
    re.IGNORECASE,
)


def looks_like_question(text: str) -> bool:
    """ "Is virtual ok?" is a question to answer; "virtual please" is an answer."""
    return text.strip().endswith("?") or bool(_QUESTION_START.match(text))


def sender_phone(tracker: Tracker) -> str | None:
    """The phone number an SMS came from, as the SMS channel passes it."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    phone = metadata.get("phone")
    return phone if isinstance(phone, str) and phone else None


def is_answer(tracker: Tracker) -> bool:
    """Whether the latest message answers the form's question.

    Commands (cancel, an emergency, asking for a person) and questions are
    left to the rules, which answer them and then return to the form.
    """
    text = latest_text(tracker).strip()
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if not text or text.startswith("/") or intent in COMMANDS:
        return False
    return not (intent in QUESTIONS and looks_like_question(text))


def _texts() -> dict[str, Any]:
    return content.load("booking")


def _say(tracker: Tracker, template: str, **extra: Any) -> str:
    """Fill a booking text with the conversation's slots and the clinic's details."""
    clinic = get_settings().clinic
    values = {slot: tracker.get_slot(slot) for slot in ASKED_SLOTS}
    visit_label = VISIT_LABELS.get(tracker.get_slot("visit_type") or "", "")
    return content.fill(
        template,
        **values,
        visit_label=visit_label,
        clinic_phone=clinic.phone,
        clinic_hours=clinic.hours,
        **extra,
    )


def _reject(dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
    dispatcher.utter_message(text=_texts()["invalid"][slot])
    return {slot: None}


class ValidateConsultationForm(FormValidationAction):
    """Checks each answer; an invalid one is cleared and asked again with a hint."""

    def name(self) -> str:
        return f"validate_{FORM_NAME}"

    def _prefill(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """On the message that starts the form, take what it already says."""
        if tracker.get_slot(slot):
            return {}
        found = prefill_booking(latest_text(tracker), get_settings().clinic.default_phone_region)
        if slot == "contact" and "contact" not in found and sender_phone(tracker):
            found["contact"] = sender_phone(tracker)
        return {slot: found[slot]} if slot in found else {}

    def _answer(self, tracker: Tracker, slot: str) -> dict[str, Any]:
        """The parent's message as the answer to `slot`, when it is one."""
        requested = tracker.get_slot("requested_slot")
        if requested is None:
            return self._prefill(tracker, slot)
        if requested != slot or not is_answer(tracker):
            return {}
        return {slot: latest_text(tracker).strip()}

    async def extract_parent_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(tracker, "parent_name")

    async def extract_child_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(tracker, "child_name")

    async def extract_child_age(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(tracker, "child_age")

    async def extract_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Also prefills the sender's phone on SMS; the summary asks to confirm it."""
        return self._answer(tracker, "contact")

    async def extract_visit_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Free text ("zoom", "your office", the buttons) is mapped by validate_visit_type."""
        return self._answer(tracker, "visit_type")

    async def extract_concern(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(tracker, "concern")

    def validate_parent_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = clean_name(str(value))
        return {"parent_name": name} if name else _reject(dispatcher, "parent_name")

    def validate_child_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = clean_name(str(value))
        return {"child_name": name} if name else _reject(dispatcher, "child_name")

    def validate_child_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse_age(str(value)) is None:
            return _reject(dispatcher, "child_age")
        return {"child_age": str(value).strip()}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == sender_phone(tracker):
            return {"contact": value}  # the number this text came from: reachable by definition
        contact = parse_contact(str(value), get_settings().clinic.default_phone_region)
        return {"contact": contact.as_typed} if contact else _reject(dispatcher, "contact")

    def validate_visit_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        visit_type = value if value in VISIT_LABELS else parse_visit_type(str(value))
        return {"visit_type": visit_type} if visit_type else _reject(dispatcher, "visit_type")

    def validate_concern(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        concern = " ".join(str(value).split())
        if len(concern) < 3:
            return _reject(dispatcher, "concern")
        return {"concern": concern[:MAX_CONCERN_LENGTH]}

    def validate_booking_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            return {"booking_confirmed": True}
        dispatcher.utter_message(text=_texts()["start_again"])
        return {"booking_confirmed": None, **{slot: None for slot in ASKED_SLOTS[1:]}}


class _AskSlot(Action):
    """Asks for one slot with the text from content/booking.yml."""

    slot: str = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=_say(tracker, _texts()["ask"][self.slot]))
        return []


class ActionAskParentName(_AskSlot):
    slot = "parent_name"


class ActionAskChildName(_AskSlot):
    slot = "child_name"


class ActionAskChildAge(_AskSlot):
    slot = "child_age"


class ActionAskContact(_AskSlot):
    slot = "contact"


class ActionAskConcern(_AskSlot):
    slot = "concern"


class ActionAskVisitType(_AskSlot):
    """Offers the three kinds of visit as buttons (free text works too)."""

    slot = "visit_type"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        titles = _texts()["visit_buttons"].values()
        dispatcher.utter_message(
            text=_say(tracker, _texts()["ask"]["visit_type"]),
            buttons=[{"title": title, "payload": title} for title in titles],
        )
        return []


class ActionAskBookingConfirmed(Action):
    """Shows the summary and asks the parent to confirm, change or cancel."""

    def name(self) -> str:
        return "action_ask_booking_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        titles = _texts()["summary_buttons"]
        dispatcher.utter_message(
            text=_say(tracker, _texts()["summary"]),
            buttons=[
                {"title": titles["confirm"], "payload": "/affirm"},
                {"title": titles["change"], "payload": "/deny"},
                {"title": titles["cancel"], "payload": "/cancel"},
            ],
        )
        return []


def idempotency_key(tracker: Tracker) -> str:
    """The same conversation and form run always gives the same key.

    A retried or duplicated submit of one form run therefore stores one booking.
    """
    started = 0.0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == FORM_NAME:
            started = float(event.get("timestamp") or 0.0)
            break
    return f"{tracker.sender_id}:{started:.6f}"


def booking_request(tracker: Tracker) -> BookingRequest:
    """The confirmed details as a request for the store."""
    return BookingRequest(
        idempotency_key=idempotency_key(tracker),
        parent_name=tracker.get_slot("parent_name"),
        child_name=tracker.get_slot("child_name"),
        child_age=tracker.get_slot("child_age"),
        contact=tracker.get_slot("contact"),
        visit_type=tracker.get_slot("visit_type"),
        concern=tracker.get_slot("concern"),
        recommended_therapy=tracker.get_slot("recommended_therapy"),
        channel=latest_channel(tracker),
    )


class ActionSubmitConsultation(Action):
    """Stores the confirmed booking and tells the family what happens next."""

    def name(self) -> str:
        return "action_submit_consultation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("booking_confirmed") is not True:
            return []
        request = booking_request(tracker)
        reference = save_booking(request)
        if reference is None:
            dispatcher.utter_message(text=_say(tracker, _texts()["not_saved"]))
            return [SlotSet("booking_confirmed", None)]
        deliver_in_background()
        dispatcher.utter_message(text=_say(tracker, _texts()["saved"], reference=reference))
        return [
            SlotSet("booking_reference", reference),
            SlotSet("booking_confirmed", None),
        ]


def save_booking(request: BookingRequest) -> str | None:
    """Store the booking and return its reference, or None if the database failed.

    A failure is never hidden: the family is told plainly that nothing was saved
    and given the clinic's phone number.
    """
    try:
        stored = get_store().save_booking(request)
    except Exception as error:
        logger.error("booking not stored: database error %s", type(error).__name__)
        return None
    logger.info("booking stored: %s", stored.reference)
    return stored.reference


class ActionCancelBooking(Action):
    """Leaves the form cleanly; nothing is stored."""

    def name(self) -> str:
        return "action_cancel_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=_texts()["cancelled"])
        return [SlotSet("booking_confirmed", None)]
