"""Throwaway production-profile services for one test or benchmark run.

A fresh PostgreSQL database (tracker store and bookings), a Redis key prefix and
a RabbitMQ queue and exchange, all uniquely named so that runs never see each
other's data, and all removed afterwards. Only the local services are used:
PostgreSQL at SPROUT_SCRATCH_POSTGRES_URL (default: trust login on
127.0.0.1:5432), Redis and RabbitMQ on 127.0.0.1 with RabbitMQ's local guest
account unless SPROUT_RABBITMQ_USER / SPROUT_RABBITMQ_PASSWORD are set.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import redis
from sqlalchemy import create_engine, text

ADMIN_URL = os.environ.get(
    "SPROUT_SCRATCH_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
LOCAL_RABBITMQ_ACCOUNT = "guest"  # RabbitMQ's default account, usable from localhost only


@dataclass(frozen=True)
class Scratch:
    """Names of this run's services, and the environment that points Sprout at them."""

    database_url: str
    lock_prefix: str
    queue: str
    exchange: str
    env: dict[str, str]


def _database_url(name: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


async def _rabbitmq(env: dict[str, str]):
    """A connection to the RabbitMQ the profile's variables name."""
    import aio_pika

    return await aio_pika.connect(
        host=env["SPROUT_RABBITMQ_HOST"],
        port=int(env["SPROUT_RABBITMQ_PORT"]),
        login=env["SPROUT_RABBITMQ_USER"],
        password=env["SPROUT_RABBITMQ_PASSWORD"],
    )


async def _drop_rabbitmq(env: dict[str, str], queue: str, exchange: str) -> int:
    """Delete the queue and exchange; returns how many messages the queue held."""
    import aio_pika

    connection = await _rabbitmq(env)
    async with connection:
        channel = await connection.channel()
        held = 0
        try:
            declared = await channel.declare_queue(queue, passive=True)
            held = declared.declaration_result.message_count or 0
            await channel.queue_delete(queue)
        except aio_pika.exceptions.ChannelClosed:
            channel = await connection.channel()
        with suppress(aio_pika.exceptions.ChannelClosed):
            await channel.exchange_delete(exchange)
    return held


async def _queue_depth(env: dict[str, str], queue: str) -> int:

    connection = await _rabbitmq(env)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0


def queue_depth(scratch: Scratch) -> int:
    """Messages waiting in the run's event queue (every Rasa event lands there)."""
    return asyncio.run(_queue_depth(scratch.env, scratch.queue))


def lock_keys(scratch: Scratch) -> list[str]:
    """Lock keys Redis still holds for this run."""
    client = redis.Redis(host="127.0.0.1", port=6379, db=int(scratch.env["SPROUT_REDIS_DB"]))
    with client:
        return [k.decode() for k in client.scan_iter(f"{scratch.lock_prefix}:*")]


@contextmanager
def scratch_services(tag: str = "run") -> Iterator[Scratch]:
    """Create the run's database and names, yield them, then remove everything."""
    suffix = uuid.uuid4().hex[:10]
    name = f"sprout_{tag}_{suffix}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'create database "{name}"'))
    except Exception as error:
        admin.dispose()
        raise RuntimeError(
            f"PostgreSQL at {ADMIN_URL.split('@')[-1]} is required (could not create a database)"
        ) from error
    prefix = f"sprout{tag}{suffix}".replace("_", "")
    env = {
        "SPROUT_PROFILE": "production",
        "SPROUT_TRACKER_DB_URL": _database_url(name),
        "SPROUT_REDIS_HOST": "127.0.0.1",
        "SPROUT_REDIS_PORT": "6379",
        "SPROUT_REDIS_DB": "1",
        "SPROUT_LOCK_PREFIX": prefix,
        "SPROUT_RABBITMQ_HOST": "127.0.0.1",
        "SPROUT_RABBITMQ_PORT": "5672",
        "SPROUT_RABBITMQ_USER": os.environ.get("SPROUT_RABBITMQ_USER", LOCAL_RABBITMQ_ACCOUNT),
        "SPROUT_RABBITMQ_PASSWORD": os.environ.get(
            "SPROUT_RABBITMQ_PASSWORD", LOCAL_RABBITMQ_ACCOUNT
        ),
        "SPROUT_EVENTS_QUEUE": f"{name}_events",
        "SPROUT_EVENTS_EXCHANGE": f"{name}_exchange",
    }
    scratch = Scratch(
        database_url=env["SPROUT_TRACKER_DB_URL"],
        lock_prefix=prefix,
        queue=env["SPROUT_EVENTS_QUEUE"],
        exchange=env["SPROUT_EVENTS_EXCHANGE"],
        env=env,
    )
    try:
        yield scratch
    finally:
        # Nothing to remove when RabbitMQ never saw the run.
        with suppress(Exception):
            asyncio.run(_drop_rabbitmq(env, scratch.queue, scratch.exchange))
        client = redis.Redis(host="127.0.0.1", port=6379, db=1)
        with client:
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)
        with admin.connect() as conn:
            conn.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()
