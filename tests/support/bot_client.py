"""Talk to a running Sprout the way outside tests do: REST webhook + tracker API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests


@dataclass
class Turn:
    """What happened in one turn, read back from the tracker."""

    replies: list[dict[str, Any]]
    events: list[dict[str, Any]]
    tracker: dict[str, Any]

    @property
    def user(self) -> dict[str, Any]:
        return next(e for e in self.events if e["event"] == "user")

    @property
    def intent(self) -> str:
        return self.user["parse_data"]["intent"]["name"]

    @property
    def actions(self) -> list[str]:
        return [e["name"] for e in self.events if e["event"] == "action"]

    @property
    def utter_actions(self) -> list[str | None]:
        return [
            (e.get("metadata") or {}).get("utter_action")
            for e in self.events
            if e["event"] == "bot"
        ]

    @property
    def texts(self) -> list[str]:
        return [e.get("text") or "" for e in self.events if e["event"] == "bot"]

    @property
    def slots(self) -> dict[str, Any]:
        return self.tracker["slots"]

    @property
    def active_loop(self) -> str | None:
        return (self.tracker.get("active_loop") or {}).get("name")


class BotClient:
    """A thin HTTP client for the REST channel and Rasa's HTTP API."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.http = requests.Session()

    def new_sender(self) -> str:
        return f"test-{uuid.uuid4().hex[:12]}"

    def post_raw(
        self, data: bytes | str, content_type: str = "application/json"
    ) -> requests.Response:
        return self.http.post(
            f"{self.url}/webhooks/rest/webhook",
            data=data,
            headers={"Content-Type": content_type},
            timeout=60,
        )

    def tracker(self, sender: str) -> dict[str, Any]:
        response = self.http.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def say(self, sender: str, message: str) -> Turn:
        """Send one message and return the turn as the tracker recorded it."""
        response = self.http.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        tracker = self.tracker(sender)
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        return Turn(replies=response.json(), events=events[last_user:], tracker=tracker)

    def parse(self, text: str) -> dict[str, Any]:
        """NLU only: the parse data the model gives this text."""
        response = self.http.post(
            f"{self.url}/model/parse",
            params={"token": self.token},
            json={"text": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


def faq_key(parse_data: dict[str, Any]) -> str | None:
    """The FAQ key the response selector chose, e.g. "insurance"."""
    selector = (parse_data.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None
