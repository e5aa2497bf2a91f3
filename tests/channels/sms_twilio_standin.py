"""A local stand-in for Twilio: signs and posts webhooks exactly as Twilio does.

Twilio signs the full URL it calls plus the sorted form parameters with the
account's auth token (RequestValidator.compute_signature); the stand-in does the
same, so the channel under test cannot tell it from the real service.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import requests
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-not-a-real-secret"
HASH_KEY = "test-sms-hash-key"
TWILIO_NUMBER = "+15550109999"
# Deliberately not the local address: Twilio signs the URL it was given (the
# clinic's reverse proxy), which differs from the one Rasa listens on.
PUBLIC_URL = "https://sprout.clinic.example/bot"


@dataclass
class Reply:
    """The channel's answer: status code and the <Message> bodies in order."""

    status: int
    messages: list[str]
    raw: str
    actions: list[str | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def new_phone() -> str:
    """A fictional (555-01xx) US mobile number, unique per test."""
    return f"+1555010{uuid.uuid4().int % 10**4:04d}"


class TwilioStandIn:
    """Posts signed inbound messages and status callbacks to a running Sprout."""

    def __init__(self, base_url: str, auth_token: str = AUTH_TOKEN) -> None:
        self.base_url = base_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.http = requests.Session()

    def sign(self, url: str, params: dict[str, str]) -> str:
        return self.validator.compute_signature(url, params)

    def post(
        self,
        path: str,
        params: dict[str, str],
        *,
        signature: str | None = "auto",
        signed_url: str | None = None,
    ) -> requests.Response:
        """POST form-encoded; sign for the public URL unless told otherwise."""
        headers = {}
        if signature == "auto":
            signature = self.sign(signed_url or PUBLIC_URL + path, params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return self.http.post(self.base_url + path, data=params, headers=headers, timeout=60)

    def inbound_params(
        self, body: str, phone: str, sid: str | None = None, num_media: int = 0, **extra: str
    ) -> dict[str, str]:
        params = {
            "ToCountry": "US",
            "SmsMessageSid": sid or new_sid(),
            "NumMedia": str(num_media),
            "Body": body,
            "From": phone,
            "To": TWILIO_NUMBER,
            "NumSegments": "1",
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "FromCountry": "US",
        }
        params["MessageSid"] = params["SmsSid"] = params["SmsMessageSid"]
        for index in range(num_media):
            params[f"MediaUrl{index}"] = f"https://api.twilio.com/media/{index}"
            params[f"MediaContentType{index}"] = "image/jpeg"
        params.update(extra)
        return params

    def text(self, body: str, phone: str, **kwargs: Any) -> Reply:
        """A family's text message, as Twilio delivers it to the webhook."""
        signature = kwargs.pop("signature", "auto")
        signed_url = kwargs.pop("signed_url", None)
        params = self.inbound_params(body, phone, **kwargs)
        result = self.post(
            "/webhooks/sms/webhook", params, signature=signature, signed_url=signed_url
        )
        return parse_reply(result)

    def status(self, sid: str, status: str, error_code: str | None = None, **kwargs: Any) -> int:
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": kwargs.pop("to", "+15550100001"),
            "From": TWILIO_NUMBER,
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = error_code
        return self.post("/webhooks/sms/status", params, **kwargs).status_code


def parse_reply(result: requests.Response) -> Reply:
    if result.status_code != 200:
        return Reply(result.status_code, [], result.text)
    root = ET.fromstring(result.text)
    assert root.tag == "Response", result.text
    messages = root.findall("Message")
    return Reply(
        200,
        [message.text or "" for message in messages],
        result.text,
        [message.get("action") for message in messages],
    )
