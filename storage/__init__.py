"""Booking and handoff storage, kept apart from the Rasa actions.

Only the standard library and SQLAlchemy are used here, so the store can be
tested and reused without a running assistant.
"""

from storage.models import BookingRequest, HandoffRequest, StoredBooking
from storage.repo import BookingStore, SqlBookingStore

__all__ = [
    "BookingRequest",
    "BookingStore",
    "HandoffRequest",
    "SqlBookingStore",
    "StoredBooking",
]
