"""Clinic notifications leave the outbox once, and failures are retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import update

from notify.dispatch import deliver_due
from notify.senders import FileSender, WebhookSender, signature
from storage import BookingRequest, HandoffRequest, SqlBookingStore
from storage.outbox import Outbox
from storage.tables import NotificationRow


class ClinicWebhook:
    """A local stand-in for the clinic's webhook that can be told to fail."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.signatures: list[tuple[str | None, str | None, bytes]] = []
        self.status = 200
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                webhook.signatures.append(
                    (
                        self.headers.get("X-Sprout-Timestamp"),
                        self.headers.get("X-Sprout-Signature"),
                        body,
                    )
                )
                if webhook.status == 200:
                    webhook.received.append(json.loads(body))
                self.send_response(webhook.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/bookings"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def webhook() -> Iterator[ClinicWebhook]:
    hook = ClinicWebhook()
    yield hook
    hook.server.shutdown()


@pytest.fixture
def store(tmp_path: Path) -> SqlBookingStore:
    return SqlBookingStore.from_url(f"sqlite:///{tmp_path / 'n.db'}")


def booking(key: str = "k1") -> BookingRequest:
    return BookingRequest(key, "Maria", "Leo", "9 months", "m@example.com", "virtual", "crawling")


def test_booking_reaches_the_clinic_once(store: SqlBookingStore, webhook: ClinicWebhook) -> None:
    stored = store.save_booking(booking())
    store.save_booking(booking())  # a retried submit adds no second notification
    outbox = Outbox(store.engine)
    assert deliver_due(outbox, WebhookSender(webhook.url)).sent == 1
    assert deliver_due(outbox, WebhookSender(webhook.url)).sent == 0
    assert [m["reference"] for m in webhook.received] == [stored.reference]
    assert webhook.received[0]["kind"] == "booking"
    assert "idempotency_key" not in webhook.received[0]


def test_failed_delivery_is_retried_later(store: SqlBookingStore, webhook: ClinicWebhook) -> None:
    store.save_booking(booking())
    outbox = Outbox(store.engine)
    webhook.status = 503
    first = deliver_due(outbox, WebhookSender(webhook.url))
    assert (first.sent, first.failed) == (0, 1)
    webhook.status = 200
    # Backing off: not due again straight away.
    assert deliver_due(outbox, WebhookSender(webhook.url)).sent == 0
    with store.engine.begin() as conn:
        conn.execute(update(NotificationRow).values(next_attempt_at=NotificationRow.created_at))
    assert deliver_due(outbox, WebhookSender(webhook.url)).sent == 1
    assert outbox.counts() == {"sent": 1}


def test_unreachable_webhook_keeps_it_pending(store: SqlBookingStore) -> None:
    store.save_booking(booking())
    outbox = Outbox(store.engine)
    result = deliver_due(outbox, WebhookSender("http://127.0.0.1:9/nothing-listens"))
    assert result.failed == 1
    assert outbox.counts() == {"pending": 1}


def test_file_destination_by_default(store: SqlBookingStore, tmp_path: Path) -> None:
    store.save_handoff(HandoffRequest("conv-1", "sms", "wants to talk"))
    target = tmp_path / "out" / "notifications.jsonl"
    assert deliver_due(Outbox(store.engine), FileSender(target)).sent == 1
    line = json.loads(target.read_text().splitlines()[0])
    assert line["kind"] == "handoff" and line["reason"] == "wants to talk"


def test_webhook_requests_are_signed(store: SqlBookingStore, webhook: ClinicWebhook) -> None:
    store.save_booking(booking())
    deliver_due(Outbox(store.engine), WebhookSender(webhook.url, secret="s3cret"))
    timestamp, sent_signature, body = webhook.signatures[0]
    expected = (
        "sha256="
        + hmac.new(b"s3cret", timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    assert sent_signature == expected
    assert sent_signature != signature("other-secret", timestamp, body)
