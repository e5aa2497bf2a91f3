"""The consumer against real RabbitMQ and real databases: exactly-once storage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import aio_pika
import pytest

from analytics.consumer import BrokerSettings, consume
from analytics.store import EventStore
from tests.analytics.conftest import AMQP_URL, fresh_postgres_database


class Crash(Exception):
    """Stands for the process dying between commit and acknowledgement."""


def events(sender: str, count: int) -> list[bytes]:
    """Bodies as Rasa publishes them: a user message and the action that answered it."""
    bodies = []
    for n in range(count):
        clock = 1_764_400_000.0 + n
        bodies.append(
            json.dumps(
                {
                    "sender_id": sender,
                    "event": "user",
                    "timestamp": clock,
                    "text": f"question {n} from maria@example.com",
                    "parse_data": {"intent": {"name": "greet"}},
                }
            ).encode()
        )
        bodies.append(
            json.dumps(
                {"sender_id": sender, "event": "action", "timestamp": clock + 0.5, "name": "x"}
            ).encode()
        )
    return bodies


async def _publish(broker: BrokerSettings, bodies: list[bytes]) -> None:
    connection = await aio_pika.connect(broker.url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(broker.exchange, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(broker.queue, durable=True)
        await queue.bind(exchange, "")
        for data in bodies:
            await exchange.publish(aio_pika.Message(data), "")


async def _delete(broker: BrokerSettings) -> None:
    connection = await aio_pika.connect(broker.url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(broker.queue)
        await channel.exchange_delete(broker.exchange)


@pytest.fixture
def broker(broker_names: tuple[str, str]) -> Iterator[BrokerSettings]:
    queue, exchange = broker_names
    settings = BrokerSettings(url=AMQP_URL, queue=queue, exchange=exchange)
    yield settings
    asyncio.run(_delete(settings))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    if request.param == "sqlite":
        store = EventStore.from_url(f"sqlite:///{tmp_path / 'var' / 'analytics.db'}")
        yield store
        store.dispose()
        return
    databases = fresh_postgres_database()
    store = EventStore.from_url(next(databases))
    yield store
    store.dispose()
    next(databases, None)


def test_redelivery_after_a_crash_is_stored_once(store: EventStore, broker: BrokerSettings) -> None:
    bodies = events("parent-1", 5)
    junk = [b"not an event", json.dumps({"sender_id": "x", "event": "bot", "timestamp": 1.0})]
    asyncio.run(_publish(broker, [*bodies, junk[0], junk[1].encode()]))

    def crash() -> None:
        raise Crash

    # The broken message is rejected (not requeued) in whichever run first sees it.

    with pytest.raises(Crash):
        asyncio.run(consume(store, broker, until_empty=True, on_committed=crash))
    committed = store.count()  # the first batch: committed, but never acknowledged
    assert 0 < committed <= len(bodies)

    stats = asyncio.run(consume(store, broker, until_empty=True))
    assert (stats.stored, stats.duplicates) == (len(bodies) - committed, committed)
    assert stats.ignored == 1  # the bot event, delivered again if it was in that batch
    assert stats.rejected in (0, 1)
    assert store.count() == len(bodies)

    again = asyncio.run(consume(store, broker, until_empty=True))
    assert again.received == 0


def test_duplicate_publication_is_stored_once(store: EventStore, broker: BrokerSettings) -> None:
    bodies = events("parent-2", 3)
    asyncio.run(_publish(broker, bodies + bodies))
    stats = asyncio.run(consume(store, broker, until_empty=True, batch_size=4))
    assert stats.received == 2 * len(bodies)
    assert (stats.stored, stats.duplicates) == (len(bodies), len(bodies))
    assert stats.batches >= 2
    stored_texts = [r.text for r in store.between(*_all_time()) if r.event_type == "user"]
    assert stored_texts and all("maria@example.com" not in t for t in stored_texts)


def test_until_idle_stops_on_its_own(store: EventStore, broker: BrokerSettings) -> None:
    stats = asyncio.run(consume(store, broker, idle_seconds=1.0))
    assert stats.received == 0


def _all_time():
    from datetime import datetime, timezone

    return datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
