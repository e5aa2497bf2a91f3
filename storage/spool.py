"""A file spool for bookings made while the database is unreachable.

The family has already confirmed and been given a reference, so the booking is
written to disk and moved into the database as soon as it answers again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict
from pathlib import Path

from storage.models import BookingRequest
from storage.repo import BookingStore

logger = logging.getLogger(__name__)


class BookingSpool:
    """One JSON file per booking, named after its idempotency key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, request: BookingRequest) -> Path:
        name = hashlib.sha256(request.idempotency_key.encode()).hexdigest()[:32]
        return self.folder / f"{name}.json"

    def write(self, request: BookingRequest, reference: str) -> None:
        """Store durably (write, fsync, rename) so a crash leaves no half file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(request)
        temporary = target.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump({"reference": reference, "request": asdict(request)}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)

    def pending(self) -> int:
        return len(list(self.folder.glob("*.json"))) if self.folder.exists() else 0

    def replay(self, store: BookingStore) -> int:
        """Move spooled bookings into the store; stops at the first failure."""
        moved = 0
        for path in sorted(self.folder.glob("*.json")) if self.folder.exists() else []:
            data = json.loads(path.read_text(encoding="utf-8"))
            store.save_booking(BookingRequest(**data["request"]), reference=data["reference"])
            path.unlink()
            moved += 1
        if moved:
            logger.info("replayed %d spooled bookings", moved)
        return moved
