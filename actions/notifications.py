"""Telling the clinic about new bookings and handoffs without making parents wait."""

from __future__ import annotations

import asyncio
import logging
import threading

from actions.wiring import get_outbox, get_sender
from notify.dispatch import deliver_due

logger = logging.getLogger(__name__)
_one_pass_at_a_time = threading.Lock()


def deliver_now() -> None:
    """Send due notifications; never raises (failures stay in the outbox)."""
    if not _one_pass_at_a_time.acquire(blocking=False):
        return
    try:
        deliver_due(get_outbox(), get_sender())
    except Exception:
        logger.exception("clinic notifications will be retried later")
    finally:
        _one_pass_at_a_time.release()


def deliver_in_background() -> None:
    """Start a delivery pass on a worker thread; the reply to the parent goes out now."""
    asyncio.get_running_loop().run_in_executor(None, deliver_now)
