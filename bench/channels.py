"""Round trips through the two channels families use: SMS (Twilio webhook) and the widget.

The SMS figure is one signed inbound text to the webhook until its TwiML answer comes
back, which is what Twilio waits on. The widget figure is one `user_uttered` over
socket.io until the first `bot_uttered` arrives, which is when a parent sees the
reply start. Both run serially against 127.0.0.1, like the REST phases.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import Sequence

import requests
from twilio.request_validator import RequestValidator

from bench.load import LoadResult, Sample, ensure_local
from tools.widget_client import WidgetClient

# Throwaway Twilio settings for the benchmark's own stack; nothing leaves 127.0.0.1.
_AUTH_TOKEN = secrets.token_hex(16)
_PUBLIC_URL = "https://bench.sprout.invalid"
CHANNEL_ENV = {
    "SPROUT_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "SPROUT_TWILIO_AUTH_TOKEN": _AUTH_TOKEN,
    "SPROUT_TWILIO_NUMBER": "+15005550006",
    "SPROUT_SMS_PUBLIC_URL": _PUBLIC_URL,
    "SPROUT_SMS_HASH_KEY": secrets.token_hex(16),
}
REPLY_TIMEOUT_S = 30.0
SMS_PATH = "/webhooks/sms/webhook"


def _inbound(body: str, phone: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    return {"MessageSid": sid, "SmsSid": sid, "From": phone, "To": "+15005550006", "Body": body}


def sms_round_trips(
    url: str,
    conversations: Sequence[Sequence[str]],
    time_limit_s: float,
    *,
    auth_token: str = _AUTH_TOKEN,
    public_url: str = _PUBLIC_URL,
) -> LoadResult:
    """Each conversation from its own phone number; ok when TwiML with a message comes back."""
    url = ensure_local(url)
    validator = RequestValidator(auth_token)
    result = LoadResult()
    begin = time.perf_counter()
    with requests.Session() as session:
        for number, texts in enumerate(conversations):
            phone = f"+1555{number:07d}"
            for text in texts:
                if time.perf_counter() - begin > time_limit_s:
                    break
                params = _inbound(text, phone)
                signature = validator.compute_signature(public_url + SMS_PATH, params)
                offset = time.perf_counter() - begin
                try:
                    response = session.post(
                        url + SMS_PATH,
                        data=params,
                        headers={"X-Twilio-Signature": signature},
                        timeout=REPLY_TIMEOUT_S,
                    )
                    replies = response.text.count("<Message") if response.status_code == 200 else 0
                except requests.RequestException:
                    replies = 0
                seconds = time.perf_counter() - begin - offset
                result.samples.append(Sample(offset, seconds, replies > 0, replies))
    result.wall_seconds = time.perf_counter() - begin
    return result


async def _widget_conversation(
    url: str, texts: Sequence[str], result: LoadResult, begin: float
) -> None:
    client = WidgetClient()
    await client.start(url)
    try:
        for text in texts:
            while not client.replies.empty():  # the rest of the previous turn's replies
                client.replies.get_nowait()
            offset = time.perf_counter() - begin
            await client.sio.emit(
                "user_uttered", {"message": text, "session_id": client.session_id}
            )
            try:
                await asyncio.wait_for(client.replies.get(), REPLY_TIMEOUT_S)
                ok = True
            except asyncio.TimeoutError:
                ok = False
            seconds = time.perf_counter() - begin - offset
            result.samples.append(Sample(offset, seconds, ok, int(ok)))
            await asyncio.sleep(0.3)  # let the turn's later replies arrive before the next one
    finally:
        await client.sio.disconnect()


def widget_round_trips(
    url: str, conversations: Sequence[Sequence[str]], time_limit_s: float
) -> LoadResult:
    """Each conversation as its own widget session; time to the first reply of each turn."""
    url = ensure_local(url)
    result = LoadResult()
    begin = time.perf_counter()

    async def run() -> None:
        for texts in conversations:
            if time.perf_counter() - begin > time_limit_s:
                break
            await _widget_conversation(url, texts, result, begin)

    asyncio.run(run())
    result.wall_seconds = time.perf_counter() - begin
    return result
