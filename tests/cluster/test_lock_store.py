"""The Redis lock store keeps one conversation's turns apart across processes (real Redis)."""

from __future__ import annotations

import asyncio
import multiprocessing
import uuid

import redis
from rasa.utils.endpoints import EndpointConfig

from storage.lock_store import AtomicRedisLockStore

TASKS_PER_PROCESS = 12


def _worker(prefix: str, conversation: str, results: multiprocessing.Queue) -> None:
    """One 'Rasa server': concurrent turns of one conversation, each inside the lock."""
    store = AtomicRedisLockStore(
        EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=prefix)
    )
    marks = redis.Redis(host="127.0.0.1", port=6379, db=1)
    inside = f"{prefix}:inside"

    async def turn() -> bool:
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
            alone = marks.incr(inside) == 1
            await asyncio.sleep(0.005)
            marks.decr(inside)
            return alone

    async def all_turns() -> list[bool]:
        return await asyncio.gather(*(turn() for _ in range(TASKS_PER_PROCESS)))

    results.put(asyncio.run(all_turns()))


def test_turns_of_one_conversation_never_overlap_across_processes() -> None:
    prefix = f"locktest{uuid.uuid4().hex[:8]}"
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(prefix, "parent-1", results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        outcomes = [results.get(timeout=120) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=30)
        client = redis.Redis(host="127.0.0.1", port=6379, db=1)
        leftover = [k for k in client.scan_iter(f"{prefix}:*")]
        for key in leftover:
            client.delete(key)
    assert [len(o) for o in outcomes] == [TASKS_PER_PROCESS] * 2
    assert all(all(o) for o in outcomes), "two turns of one conversation ran at once"
    assert [k for k in leftover if b":lock:" in k] == []  # released when the last turn ends


def _store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=prefix))


def _forget(prefix: str) -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=1)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


async def test_a_live_turn_keeps_its_lock_longer_than_the_lifetime() -> None:
    """Two servers, a 1 s lifetime, a 3 s turn: the second turn still waits for the first."""
    prefix = f"locktest{uuid.uuid4().hex[:8]}"
    first, second = _store(prefix), _store(prefix)
    order: list[str] = []

    async def slow_turn() -> None:
        async with first.lock("parent-2", lock_lifetime=1, wait_time_in_seconds=0.05):
            order.append("first starts")
            await asyncio.sleep(3)
            order.append("first ends")

    async def next_turn() -> None:
        await asyncio.sleep(0.3)
        async with second.lock("parent-2", lock_lifetime=1, wait_time_in_seconds=0.05):
            order.append("second starts")

    try:
        await asyncio.wait_for(asyncio.gather(slow_turn(), next_turn()), timeout=60)
    finally:
        _forget(prefix)
    assert order == ["first starts", "first ends", "second starts"]


async def test_a_crashed_servers_ticket_expires() -> None:
    """A ticket nobody renews (its process died) stops blocking after its lifetime."""
    prefix = f"locktest{uuid.uuid4().hex[:8]}"
    crashed, alive = _store(prefix), _store(prefix)
    crashed.issue_ticket("parent-3", lock_lifetime=1)  # taken, never renewed or released
    entered = False

    async def turn() -> None:
        nonlocal entered
        async with alive.lock("parent-3", lock_lifetime=1, wait_time_in_seconds=0.05):
            entered = True

    try:
        await asyncio.wait_for(turn(), timeout=60)
    finally:
        _forget(prefix)
    assert entered
