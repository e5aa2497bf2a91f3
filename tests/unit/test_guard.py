"""Messages are made safe before Rasa reads them."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from channels.guard import ALLOWED_PAYLOADS, MAX_MESSAGE_CHARS, clean_message


def test_button_payloads_pass() -> None:
    for payload in ALLOWED_PAYLOADS:
        assert clean_message(payload).text == payload


def test_other_slash_commands_become_text() -> None:
    cleaned = clean_message('/action_submit_consultation{"booking_reference": "X"}')
    assert not cleaned.text.startswith("/")
    assert cleaned.payload_blocked
    assert clean_message("//book_consultation").text == "book_consultation"
    assert clean_message('/book_consultation{"parent_name": "x"}').payload_blocked


def test_control_characters_are_removed() -> None:
    assert clean_message("hi\x00 there\x1b[31m").text == "hi there [31m"


def test_long_messages_are_cut_with_a_flag() -> None:
    cleaned = clean_message("word " * 2000)
    assert cleaned.truncated and len(cleaned.text) <= MAX_MESSAGE_CHARS


def test_non_text_values() -> None:
    assert clean_message(None).text == ""
    assert clean_message(42).text == "42"


@given(st.text(max_size=5000))
def test_any_text_comes_out_safe(raw: str) -> None:
    cleaned = clean_message(raw)
    assert len(cleaned.text) <= MAX_MESSAGE_CHARS
    assert not cleaned.text.startswith("/") or cleaned.text in ALLOWED_PAYLOADS
    assert all(c in "\n\t" or unicodedata.category(c) != "Cc" for c in cleaned.text)
