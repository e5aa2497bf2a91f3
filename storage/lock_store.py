"""Rasa's Redis lock store, with every change to a lock made atomically.

Rasa 3.6's RedisLockStore reads a conversation's lock, changes it in Python and
writes it back. With two Rasa processes that is a race: a waiter that tidies
expired tickets (once a second) can overwrite a ticket the other process has just
issued, and a finishing turn can delete the lock a new ticket was added to. The
lost ticket's message is then handled alongside another one of the same
conversation, and the SQL tracker store silently drops one turn's events.

Here each read-change-write runs in a Redis transaction (WATCH/MULTI) that is
retried when another process changed the lock meanwhile. Keys, format and
configuration stay Rasa's, so the class is a drop-in `lock_store.type`.

Tickets are also leases: while a message waits or is handled, its process renews
the ticket every third of TICKET_LOCK_LIFETIME. A live turn therefore never loses
its lock however long it takes (Rasa's ticket simply expires, and a second turn
of the conversation then runs alongside it), and the lifetime can be short: it is
now only how long a crashed server's ticket holds up that conversation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
T = TypeVar("T")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket updates cannot overwrite each other."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Change[T]) -> T:
        """Apply `change` to the stored lock in one transaction; None deletes it."""
        key = self.key_prefix + conversation_id
        outcome: list[Any] = []

        def attempt(pipe: Any) -> None:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, value = change(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
            outcome[:] = [value]

        self.red.transaction(attempt, key)
        return outcome[0]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ticket lock, with the ticket renewed until the block ends."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        keeper = asyncio.ensure_future(self._keep_alive(conversation_id, ticket, lock_lifetime))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
            self.cleanup(conversation_id, ticket)

    async def _keep_alive(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(lifetime / 3)
            try:
                self.renew(conversation_id, ticket, lifetime)
            except Exception:  # Redis briefly away: the next round tries again
                logger.warning("could not renew a conversation lock ticket", exc_info=True)

    def renew(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        """Push the ticket's expiry `lifetime` seconds into the future."""

        def extend(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            for held in lock.tickets if lock else ():
                if held.number == ticket:
                    held.expires = time.time() + lifetime
            return lock, None

        self._change(conversation_id, extend)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def tidy(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, tidy)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket; remove the lock too when nobody else waits for it."""

        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, release)
