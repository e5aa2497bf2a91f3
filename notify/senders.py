"""Where notifications go: the clinic's webhook, or a local file by default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

import requests

WEBHOOK_TIMEOUT_S = 10


class DeliveryError(Exception):
    """The destination did not accept the notification; it will be retried."""


class Sender(Protocol):
    def send(self, kind: str, payload: dict) -> None: ...


class WebhookSender:
    """POSTs each notification as JSON; any 2xx answer counts as delivered."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, kind: str, payload: dict) -> None:
        try:
            response = requests.post(
                self.url, json={"kind": kind, **payload}, timeout=WEBHOOK_TIMEOUT_S
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
