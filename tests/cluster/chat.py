"""Talking to the cluster and reading back what PostgreSQL stored."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import create_engine, text

from tools.cluster import INSTANCE_HEADER

# Longer than a turn that waits out a dead server's conversation lock.
TIMEOUT_S = 150


@dataclass
class Reply:
    """One message as the client saw it."""

    sender: str
    message: str
    status: int
    texts: list[str]
    instance: str | None
    sent_at: float
    answered_at: float
    error: str = ""


@dataclass
class Script:
    """A conversation to play, and what the client saw."""

    sender: str
    messages: list[str]
    replies: list[Reply] = field(default_factory=list)


def say(
    session: requests.Session,
    url: str,
    sender: str,
    message: str,
    message_id: str | None = None,
) -> Reply:
    """POST one message to the REST channel; an HTTP failure is recorded, not raised.

    With a message_id, a copy of the request replayed by the load balancer is
    answered from the stored turn instead of being run again.
    """
    sent = time.monotonic()
    error = ""
    body = {"sender": sender, "message": message}
    if message_id:
        body["message_id"] = message_id
    try:
        response = session.post(
            f"{url}/webhooks/rest/webhook",
            json=body,
            timeout=TIMEOUT_S,
        )
        status = response.status_code
        body = response.json() if status == 200 else []
        texts = [r.get("text") or "" for r in body]
        instance = response.headers.get(INSTANCE_HEADER)
    except requests.RequestException as failure:
        status, texts, instance, error = 0, [], None, repr(failure)
    return Reply(sender, message, status, texts, instance, sent, time.monotonic(), error)


def tracker(url: str, token: str, sender: str) -> dict[str, Any]:
    response = requests.get(
        f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def stored_events(database_url: str, sender: str) -> list[dict[str, Any]]:
    """The conversation's rows in Rasa's `events` table, in the order they were written."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("select data from events where sender_id = :s order by id"), {"s": sender}
            ).all()
    finally:
        engine.dispose()
    return [json.loads(row[0]) for row in rows]


def stored_bookings(database_url: str, sender: str) -> list[tuple[str, str]]:
    """(reference, child_name) of every booking this conversation stored."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "select reference, child_name from sprout_bookings "
                    "where idempotency_key like :k"
                ),
                {"k": f"{sender}:%"},
            ).all()
    finally:
        engine.dispose()
    return [tuple(row) for row in rows]


def turns(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each user event with the events that followed it up to the next user event."""
    result: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for event in events:
        if event["event"] == "user":
            result.append((event, []))
        elif result:
            result[-1][1].append(event)
    return result


def duplicates(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events stored more than once (same type, timestamp and content)."""
    seen: set[str] = set()
    repeated = []
    for event in events:
        key = json.dumps(event, sort_keys=True)
        if key in seen:
            repeated.append(event)
        seen.add(key)
    return repeated
