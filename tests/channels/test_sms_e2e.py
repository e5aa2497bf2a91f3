"""SMS end to end: signed Twilio webhooks through the real Rasa and action servers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from channels.sms import conversation_key
from channels.sms_render import is_gsm7, segment_limit, sms_units
from channels.sms_report import main as report_main
from tests.channels.sms_fixtures import SmsStack
from tests.channels.sms_twilio_standin import HASH_KEY, PUBLIC_URL, Reply, new_phone, new_sid

pytestmark = [pytest.mark.model, pytest.mark.server]

WEBHOOK = "/webhooks/sms/webhook"
PHONES_USED: list[str] = []


def phone() -> str:
    number = new_phone()
    PHONES_USED.append(number)
    return number


def key(number: str) -> str:
    return conversation_key(number, HASH_KEY)


def assert_fits(messages: list[str]) -> None:
    assert 1 <= len(messages) <= 4
    for message in messages:
        assert sms_units(message) <= segment_limit(message), message


# ------------------------------------------------------------ answers


def test_signed_question_gets_the_faq_answer_in_twiml(sms_stack: SmsStack) -> None:
    number = phone()
    reply = sms_stack.twilio.text("does insurance cover PT?", number)

    assert reply.status == 200
    assert_fits(reply.messages)
    assert "insurance" in reply.text.lower()
    assert reply.messages[-1].endswith(
        'Reply 1 for "Talk to our team" or 2 for "Book a free consultation".'
    )
    # Status callbacks for these texts come back to the public URL.
    assert set(reply.actions) == {PUBLIC_URL + "/webhooks/sms/status"}

    users = sms_stack.user_events(key(number))
    assert len(users) == 1
    assert users[0]["input_channel"] == "sms"
    assert {"channel": "sms", "phone": number}.items() <= users[0]["metadata"].items()
    assert users[0]["parse_data"]["intent"]["name"] == "faq"


def test_long_answer_is_split_in_order(sms_stack: SmsStack) -> None:
    reply = sms_stack.twilio.text("what is infant physical therapy?", phone())

    assert_fits(reply.messages)
    assert len(reply.messages) >= 2
    labels = [re.match(r"\((\d)/(\d)\) ", m).groups() for m in reply.messages]
    count = str(len(reply.messages))
    assert labels == [(str(i), count) for i in range(1, len(reply.messages) + 1)]
    assert all(is_gsm7(m) for m in reply.messages)


def test_numbered_reply_maps_to_the_buttons_payload(sms_stack: SmsStack) -> None:
    number = phone()
    sms_stack.twilio.text("does insurance cover PT?", number)
    reply = sms_stack.twilio.text("1", number)

    assert reply.status == 200 and reply.messages
    last = sms_stack.user_events(key(number))[-1]
    assert last["text"] == "/human_handoff"
    assert last["parse_data"]["intent"]["name"] == "human_handoff"


def test_a_number_without_an_offer_is_just_text(sms_stack: SmsStack) -> None:
    number = phone()
    sms_stack.twilio.text("thanks", number)
    sms_stack.twilio.text("7", number)
    assert sms_stack.user_events(key(number))[-1]["text"] == "7"


def _answer(sms_stack: SmsStack, number: str, body: str, next_slot: str | None) -> Reply:
    """One form answer over SMS, checking the form moved on to `next_slot`."""
    reply = sms_stack.twilio.text(body, number)
    slots = sms_stack.tracker(key(number))["slots"]
    assert slots.get("requested_slot") == next_slot, (body, slots.get("requested_slot"))
    return reply


def test_full_booking_over_sms_with_numbered_choices(sms_stack: SmsStack) -> None:
    number = phone()
    sms_stack.twilio.text("does insurance cover PT?", number)
    _answer(sms_stack, number, "2", "parent_name")  # 2 = "Book a free consultation"
    assert sms_stack.user_events(key(number))[-1]["text"] == "/book_consultation"
    _answer(sms_stack, number, "Maria Lopez", "child_name")
    _answer(sms_stack, number, "Leo", "child_age")
    # The sender's phone is already known on SMS: contact is prefilled, and the
    # summary shows it for the family to confirm.
    visit = _answer(sms_stack, number, "9 months", "visit_type")
    assert sms_stack.tracker(key(number))["slots"]["contact"] == number
    assert 'Reply 1 for "At home"' in visit.text
    _answer(sms_stack, number, "1", "concern")
    assert sms_stack.user_events(key(number))[-1]["text"] == "At home"  # the button's payload
    summary = _answer(
        sms_stack, number, "he isn't crawling yet and hates tummy time", "booking_confirmed"
    )
    assert 'Reply 1 for "Yes, book it"' in summary.text
    assert number in summary.text
    assert 'for "Never mind".' in summary.text
    assert "cancel" not in summary.messages[-1].lower()  # never invite a bare CANCEL
    done = sms_stack.twilio.text("1", number)

    assert "reference" in done.text.lower(), done.text
    engine = create_engine(sms_stack.database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("select channel, visit_type from sprout_bookings where child_name = 'Leo'")
        ).all()
    assert rows == [("sms", "in_home")]


def test_non_latin_message_gets_a_reply_that_fits(sms_stack: SmsStack) -> None:
    reply = sms_stack.twilio.text("こんにちは、理学療法について教えてください", phone())
    assert reply.status == 200
    assert_fits(reply.messages)


def test_overlong_message_is_truncated_with_a_note(sms_stack: SmsStack) -> None:
    number = phone()
    reply = sms_stack.twilio.text("does insurance cover PT? " * 100, number)
    assert reply.status == 200
    assert "only the first part" in reply.text
    assert len(sms_stack.user_events(key(number))[-1]["text"]) <= 1600


# ------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "tampering",
    [
        {"signature": None},  # no X-Twilio-Signature at all
        {"signature": "bm90IGEgcmVhbCBzaWduYXR1cmU="},  # forged
        {"signed_url": "https://attacker.example/webhooks/sms/webhook"},  # another URL
        {"signed_url": "http://127.0.0.1:5005" + WEBHOOK},  # the local URL, not the public one
    ],
    ids=["missing", "forged", "other-url", "local-url"],
)
def test_unsigned_requests_are_refused_and_leave_no_trace(
    sms_stack: SmsStack, tampering: dict
) -> None:
    number, sid = phone(), new_sid()
    reply = sms_stack.twilio.text("does insurance cover PT?", number, sid=sid, **tampering)

    assert reply.status == 403
    assert sms_stack.user_events(key(number)) == []
    engine = create_engine(sms_stack.database_url)
    with engine.connect() as conn:
        seen = conn.execute(
            text("select count(*) from sprout_sms_inbound where message_sid = :sid"), {"sid": sid}
        ).scalar()
    assert seen == 0


def test_tampered_body_is_refused(sms_stack: SmsStack) -> None:
    twilio, number = sms_stack.twilio, phone()
    params = twilio.inbound_params("hello", number)
    signature = twilio.sign(PUBLIC_URL + WEBHOOK, params)
    params["Body"] = "something else"
    result = twilio.post(WEBHOOK, params, signature=signature)
    assert result.status_code == 403
    assert sms_stack.user_events(key(number)) == []


def test_garbage_gets_a_clean_4xx(sms_stack: SmsStack) -> None:
    http = sms_stack.twilio.http
    url = sms_stack.stack.url + WEBHOOK
    for result in (
        http.post(url, data=b"\xff\xfe\x00garbage", timeout=30),
        http.post(url, json={"Body": "hi"}, timeout=30),
        http.post(url, data="x" * 100_000, timeout=30),
    ):
        assert 400 <= result.status_code < 500
        assert "Traceback" not in result.text


def test_signed_request_without_sender_is_a_clean_400(sms_stack: SmsStack) -> None:
    params = {"MessageSid": new_sid(), "Body": "hi"}
    assert sms_stack.twilio.post(WEBHOOK, params).status_code == 400


def test_replayed_message_sid_is_processed_once(sms_stack: SmsStack) -> None:
    number, sid = phone(), new_sid()
    first = sms_stack.twilio.text("does insurance cover PT?", number, sid=sid)
    again = sms_stack.twilio.text("does insurance cover PT?", number, sid=sid)

    assert first.messages
    assert again.status == 200 and again.messages == []
    users = sms_stack.user_events(key(number))
    assert [u["message_id"] for u in users] == [sid]


# ------------------------------------------------------------ keywords, media


def test_stop_silences_until_start(sms_stack: SmsStack) -> None:
    twilio, number = sms_stack.twilio, phone()
    twilio.text("hello", number)
    before = len(sms_stack.user_events(key(number)))

    stop = twilio.text("STOP", number)
    assert len(stop.messages) == 1 and "unsubscribed" in stop.text
    assert twilio.text("stop", number).messages == []  # one confirmation only
    assert twilio.text("does insurance cover PT?", number).messages == []
    assert twilio.text("HELP", number).messages == []
    assert len(sms_stack.user_events(key(number))) == before  # nothing reached Rasa
    assert sms_stack.store.is_opted_out(key(number))

    start = twilio.text("Start", number)
    assert len(start.messages) == 1 and "subscribed" in start.text
    assert not sms_stack.store.is_opted_out(key(number))
    assert "insurance" in twilio.text("does insurance cover PT?", number).text.lower()


def test_cancel_is_an_opt_out_keyword(sms_stack: SmsStack) -> None:
    number = phone()
    assert "unsubscribed" in sms_stack.twilio.text("cancel", number).text
    assert sms_stack.store.is_opted_out(key(number))


def test_twilio_advanced_opt_out_already_answered(sms_stack: SmsStack) -> None:
    number = phone()
    reply = sms_stack.twilio.text("STOP", number, OptOutType="STOP")
    assert reply.status == 200 and reply.messages == []
    assert sms_stack.store.is_opted_out(key(number))


def test_help_gives_clinic_name_phone_and_opt_out(sms_stack: SmsStack) -> None:
    reply = sms_stack.twilio.text("help", phone())
    assert_fits(reply.messages)
    assert "Sprout Pediatric Therapy" in reply.text
    assert "+1 555 010 0199" in reply.text
    assert "STOP" in reply.text


def test_yes_is_an_answer_not_a_keyword_when_subscribed(sms_stack: SmsStack) -> None:
    number = phone()
    sms_stack.twilio.text("yes", number)
    assert sms_stack.user_events(key(number))[-1]["text"] == "yes"


def test_mms_without_text_gets_a_polite_text_reply(sms_stack: SmsStack) -> None:
    number = phone()
    reply = sms_stack.twilio.text("", number, num_media=1)
    assert reply.messages and "only read text" in reply.text
    assert sms_stack.user_events(key(number)) == []


def test_mms_with_text_answers_the_text(sms_stack: SmsStack) -> None:
    reply = sms_stack.twilio.text("does insurance cover PT?", phone(), num_media=2)
    assert "only read text" in reply.messages[0]
    assert "insurance" in reply.text.lower()


def test_empty_body_gets_a_polite_reply(sms_stack: SmsStack) -> None:
    number = phone()
    reply = sms_stack.twilio.text("   ", number)
    assert len(reply.messages) == 1 and "type your question" in reply.text
    assert sms_stack.user_events(key(number)) == []


# ------------------------------------------------------------ delivery status


def test_failed_delivery_is_recorded_and_reported(
    sms_stack: SmsStack, capsys: pytest.CaptureFixture[str]
) -> None:
    twilio = sms_stack.twilio
    failed, delivered = new_sid(), new_sid()
    to = phone()
    assert twilio.status(failed, "undelivered", "30003", to=to) == 204
    assert twilio.status(failed, "undelivered", "30003", to=to) == 204  # retried callback
    assert twilio.status(delivered, "delivered") == 204
    assert twilio.status(new_sid(), "failed", "30007", signature="Zm9yZ2Vk") == 403

    failures = {f.message_sid: f for f in sms_stack.store.recent_failures()}
    assert failed in failures and delivered not in failures
    assert (failures[failed].status, failures[failed].error_code) == ("undelivered", "30003")
    assert failures[failed].conversation_key == key(to)
    assert len([f for f in failures.values() if f.message_sid == failed]) == 1

    report_main(["--database-url", sms_stack.database_url, "--days", "1"])
    out = capsys.readouterr().out
    assert failed in out and "30003" in out and "unreachable" in out
    assert to not in out


# ------------------------------------------------------------ privacy (keep last)


def test_phone_numbers_never_reach_the_logs(sms_stack: SmsStack) -> None:
    logs = sms_stack.logs()
    assert logs, "the stack wrote no logs"
    assert PHONES_USED
    for number in PHONES_USED:
        assert number not in logs
        assert number.lstrip("+") not in logs
