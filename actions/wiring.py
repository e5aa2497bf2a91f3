"""Cached factories for the action server's heavy or external parts.

The SDK imports every module of this package at start-up, so nothing here is
built at import time: each part is made on first use and then reused.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from notify.senders import FileSender, Sender, WebhookSender
from sprout.settings import get_settings
from storage import SqlBookingStore
from storage.outbox import Outbox

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def get_store() -> SqlBookingStore:
    """The booking store at SPROUT_DATABASE_URL (SQLite file by default)."""
    return SqlBookingStore.from_url(get_settings().database_url)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The spaCy pipeline used to read concerns (loaded from disk, never a hub)."""
    import spacy

    return spacy.load(get_settings().spacy_model, exclude=["ner"])


@lru_cache(maxsize=1)
def get_outbox() -> Outbox:
    """The notification outbox, in the same database as the bookings."""
    return Outbox(get_store().engine)


def get_sender() -> Sender:
    """The clinic's notification destination from the settings."""
    settings = get_settings()
    if settings.notify_webhook_url:
        return WebhookSender(settings.notify_webhook_url, settings.notify_webhook_secret)
    return FileSender(settings.notify_file)
