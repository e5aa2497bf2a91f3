"""Session fixtures for the SMS tests: a stack with Twilio configured, and its stand-in."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from storage.sms import SmsStore
from tests.channels.sms_twilio_standin import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    HASH_KEY,
    PUBLIC_URL,
    TWILIO_NUMBER,
    TwilioStandIn,
)
from tools.stack import Stack, running_stack


@dataclass
class SmsStack:
    """The running assistant, where it logs, and its databases."""

    stack: Stack
    log_dir: Path
    database_url: str
    twilio: TwilioStandIn

    @property
    def store(self) -> SmsStore:
        return SmsStore.from_url(self.database_url)

    def tracker(self, sender: str) -> dict:
        result = requests.get(
            f"{self.stack.url}/conversations/{sender}/tracker",
            params={"token": self.stack.token},
            timeout=30,
        )
        result.raise_for_status()
        return result.json()

    def events(self, sender: str) -> list[dict]:
        return self.tracker(sender).get("events") or []

    def user_events(self, sender: str) -> list[dict]:
        return [event for event in self.events(sender) if event["event"] == "user"]

    def logs(self) -> str:
        return "".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(self.log_dir.glob("*.log"))
        )


@pytest.fixture(scope="session")
def sms_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmsStack]:
    """Sprout with the SMS channel configured, on its own database and logs."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('sms-db') / 'sprout.db'}"
    logs = tmp_path_factory.mktemp("sms-logs")
    env = {
        "SPROUT_DATABASE_URL": database_url,
        "SPROUT_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "SPROUT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SPROUT_TWILIO_NUMBER": TWILIO_NUMBER,
        "SPROUT_SMS_PUBLIC_URL": PUBLIC_URL,
        "SPROUT_SMS_HASH_KEY": HASH_KEY,
    }
    # A random token may start with "-", which `rasa run -t` would read as an option.
    token = "sms" + secrets.token_hex(16)
    with running_stack(trained_model, env=env, log_dir=logs, token=token) as stack:
        yield SmsStack(stack, logs, database_url, TwilioStandIn(stack.url))
