"""Fuzzing the SMS webhook: forged, malformed and signed-but-strange requests.

Unsigned or forged requests are refused before anything is read; signed ones
with any text get TwiML, typed `/intent` payloads stay plain text, and the
channel still answers a normal question afterwards.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.sms import conversation_key
from tests.channels.sms_fixtures import SmsStack
from tests.channels.sms_twilio_standin import HASH_KEY, new_phone
from tools.fuzz import sms_params, sms_problems

pytestmark = [pytest.mark.model, pytest.mark.server]
WEBHOOK = "/webhooks/sms/webhook"
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(rnd=st.randoms(use_true_random=False))
def test_signed_requests_of_any_kind(sms_stack: SmsStack, rnd: random.Random) -> None:
    params = sms_params(rnd, new_phone())
    reply = sms_stack.twilio.post(WEBHOOK, params)
    assert sms_problems(reply.status_code, reply.text) == [], reply.text[:300]
    assert reply.status_code in (200, 400, 413)  # 413: a body over the 32 KB cap


@FUZZ
@given(rnd=st.randoms(use_true_random=False), kind=st.sampled_from(["forged", "bytes", "huge"]))
def test_unsigned_or_oversized_requests_are_refused(
    sms_stack: SmsStack, rnd: random.Random, kind: str
) -> None:
    params = sms_params(rnd, new_phone())
    if kind == "forged":
        forged = "".join(rnd.choice("ABCDEFabcdef0123456789+/=") for _ in range(28))
        reply = sms_stack.twilio.post(WEBHOOK, params, signature=forged)
        expected = {403, 413}  # the size cap is checked before the signature
    elif kind == "bytes":
        raw = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(400)))
        reply = sms_stack.twilio.http.post(
            sms_stack.stack.url + WEBHOOK, data=raw, headers={"Content-Type": "text/plain"}
        )
        expected = {403}
    else:
        reply = sms_stack.twilio.post(WEBHOOK, {**params, "Body": "x" * 40_000})
        expected = {413}
    assert reply.status_code in expected
    assert sms_problems(reply.status_code, reply.text) == []


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    payload=st.sampled_from(
        [
            "/action_submit_consultation",
            '/affirm{"booking_confirmed": true}',
            '/book_consultation{"booking_reference": "SPR-FAKE"}',
            "/restart",
        ]
    )
    | st.from_regex(r"\A/[a-z_]{1,20}\{[^}]{0,40}\}\Z")
)
def test_typed_payloads_are_plain_text(sms_stack: SmsStack, payload: str) -> None:
    number = new_phone()
    reply = sms_stack.twilio.text(payload, number)
    assert reply.status == 200 and reply.messages
    users = sms_stack.user_events(conversation_key(number, HASH_KEY))
    assert users and not users[-1]["text"].startswith("/")
    slots = sms_stack.tracker(conversation_key(number, HASH_KEY))["slots"]
    assert slots["booking_reference"] is None and slots["booking_confirmed"] is None


def test_sms_still_answers_after_fuzzing(sms_stack: SmsStack) -> None:
    reply = sms_stack.twilio.text("does insurance cover PT?", new_phone())
    assert reply.status == 200
    assert "insurance" in reply.text.lower()
