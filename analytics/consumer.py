"""RabbitMQ -> SQL: store each conversation event once, acknowledge only after commit.

A message is acknowledged after the transaction holding it has committed, so a
crash or restart leaves it in the queue to be delivered again; the table's
unique key turns that second delivery into a no-op. Messages that are not Rasa
events are rejected (not requeued) so one bad message cannot block the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue

from analytics.events import EventRecord, Unusable, record_from
from analytics.store import EventStore

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "sprout_analytics"
DEFAULT_EXCHANGE = "rasa-exchange"  # Rasa's PikaEventBroker default
DEFAULT_BATCH = 200
TICK_S = 0.5
# How long to wait for more messages before committing a batch.
BATCH_WINDOW_S = 0.05
# With --once: how long the queue must stay quiet before it counts as drained.
DRAIN_WAIT_S = 1.0


@dataclass(frozen=True)
class BrokerSettings:
    """Where the events come from."""

    url: str
    queue: str = DEFAULT_QUEUE
    # The fanout exchange Rasa publishes to; the queue is bound to it so that
    # events are kept even when the consumer starts before Rasa. None: no binding.
    exchange: str | None = DEFAULT_EXCHANGE


@dataclass
class ConsumeStats:
    """What one run did, printed when it ends."""

    received: int = 0
    stored: int = 0
    duplicates: int = 0
    ignored: int = 0
    rejected: int = 0
    batches: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"Received {self.received} event(s): stored {self.stored}, "
            f"already stored {self.duplicates}, not needed {self.ignored}, "
            f"rejected {self.rejected}."
        )


def _sort(
    batch: list[AbstractIncomingMessage], stats: ConsumeStats
) -> tuple[list[EventRecord], list[AbstractIncomingMessage]]:
    """Records to store, and the messages that are not Rasa events."""
    records: list[EventRecord] = []
    unusable: list[AbstractIncomingMessage] = []
    for message in batch:
        try:
            record = record_from(message.body)
        except Unusable as problem:
            unusable.append(message)
            stats.reasons[str(problem)] = stats.reasons.get(str(problem), 0) + 1
            continue
        if record is None:
            stats.ignored += 1
        else:
            records.append(record)
    return records, unusable


async def _handle(
    batch: list[AbstractIncomingMessage],
    store: EventStore,
    stats: ConsumeStats,
    on_committed: Callable[[], None] | None,
) -> None:
    records, unusable = _sort(batch, stats)
    for message in unusable:
        await message.reject(requeue=False)
    stats.rejected += len(unusable)
    if unusable:
        logger.warning("rejected %d message(s) that are not Rasa events", len(unusable))
    # In a thread, so deliveries keep arriving while the transaction commits.
    added = await asyncio.to_thread(store.add, records)
    stats.stored += added
    stats.duplicates += len(records) - added
    stats.received += len(batch)
    stats.batches += 1
    if on_committed is not None:
        on_committed()
    rejected = {id(message) for message in unusable}
    for message in batch:
        if id(message) not in rejected:
            await message.ack()


async def _queue(channel: aio_pika.abc.AbstractChannel, broker: BrokerSettings) -> AbstractQueue:
    queue = await channel.declare_queue(broker.queue, durable=True)
    if broker.exchange:
        # Declared exactly as Rasa declares it, or RabbitMQ refuses the second declaration.
        exchange = await channel.declare_exchange(broker.exchange, aio_pika.ExchangeType.FANOUT)
        await queue.bind(exchange, "")
    return queue


async def consume(
    store: EventStore,
    broker: BrokerSettings,
    *,
    until_empty: bool = False,
    idle_seconds: float | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_committed: Callable[[], None] | None = None,
    stop: asyncio.Event | None = None,
) -> ConsumeStats:
    """Store events until stopped, until the queue is empty, or until it stays idle.

    on_committed runs after each batch is committed and before it is acknowledged.
    """
    stats = ConsumeStats()
    stop = stop or asyncio.Event()
    connection = await aio_pika.connect(broker.url, timeout=10)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=batch_size)
        queue = await _queue(channel, broker)
        buffer: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        tag = await queue.consume(buffer.put)
        idle = 0.0
        try:
            while not stop.is_set():
                try:
                    first = await asyncio.wait_for(buffer.get(), TICK_S)
                except asyncio.TimeoutError:
                    idle += TICK_S
                    if idle_seconds is not None and idle >= idle_seconds:
                        break
                    if until_empty and idle >= DRAIN_WAIT_S and await _drained(queue, buffer):
                        break
                    continue
                idle = 0.0
                batch = await _gather(first, buffer, batch_size)
                await _handle(batch, store, stats, on_committed)
        finally:
            # Unacknowledged messages go back to the queue when the channel closes.
            with contextlib.suppress(Exception):
                await queue.cancel(tag)
    return stats


async def _gather(
    first: AbstractIncomingMessage, buffer: asyncio.Queue, batch_size: int
) -> list[AbstractIncomingMessage]:
    """The first message and whatever else arrives within BATCH_WINDOW_S: one commit for many."""
    batch = [first]
    deadline = asyncio.get_running_loop().time() + BATCH_WINDOW_S
    while len(batch) < batch_size:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(buffer.get(), remaining))
        except asyncio.TimeoutError:
            break
    return batch


async def _drained(queue: AbstractQueue, buffer: asyncio.Queue) -> bool:
    declared = await queue.declare()
    return declared.message_count == 0 and buffer.empty()


def run(
    store: EventStore,
    broker: BrokerSettings,
    *,
    until_empty: bool = False,
    idle_seconds: float | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> ConsumeStats:
    """Run the consumer in its own event loop; SIGTERM stops it after the current batch."""

    async def main() -> ConsumeStats:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, stop.set)
        return await consume(
            store,
            broker,
            until_empty=until_empty,
            idle_seconds=idle_seconds,
            batch_size=batch_size,
            stop=stop,
        )

    return asyncio.run(main())
