"""Where notifications go: the clinic's webhook, or a local file by default."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Protocol

import requests

WEBHOOK_TIMEOUT_S = 10


class DeliveryError(Exception):
    """The destination did not accept the notification; it will be retried."""


class Sender(Protocol):
    def send(self, kind: str, payload: dict) -> None: ...


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", as sent in X-Sprout-Signature.

    The receiver recomputes it with the shared secret; including the timestamp
    lets it refuse old, replayed requests.
    """
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class WebhookSender:
    """POSTs each notification as signed JSON; any 2xx answer counts as delivered."""

    def __init__(self, url: str, secret: str | None = None) -> None:
        self.url = url
        self.secret = secret

    def send(self, kind: str, payload: dict) -> None:
        body = json.dumps({"kind": kind, **payload}).encode()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            timestamp = str(int(time.time()))
            headers["X-Sprout-Timestamp"] = timestamp
            headers["X-Sprout-Signature"] = signature(self.secret, timestamp, body)
        try:
            response = requests.post(
                self.url, data=body, headers=headers, timeout=WEBHOOK_TIMEOUT_S
            )
        except requests.RequestException as error:
            raise DeliveryError(type(error).__name__) from error
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"HTTP {response.status_code}")


class FileSender:
    """Appends each notification as one JSON line (for a single-machine setup)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, kind: str, payload: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"kind": kind, **payload}) + "\n")
        except OSError as error:
            raise DeliveryError(str(error)) from error
