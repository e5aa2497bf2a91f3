"""One delivery pass over the outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from notify.senders import DeliveryError, Sender
from storage.outbox import Outbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pass:
    sent: int
    failed: int


def deliver_due(outbox: Outbox, sender: Sender) -> Pass:
    """Send every due notification; failures stay in the outbox for later."""
    sent = failed = 0
    for notification in outbox.due():
        try:
            sender.send(notification.kind, notification.payload)
        except DeliveryError as error:
            outbox.mark_failed(notification, str(error))
            logger.warning("notification %s not delivered: %s", notification.id, error)
            failed += 1
        else:
            outbox.mark_sent(notification.id)
            sent += 1
    return Pass(sent, failed)
