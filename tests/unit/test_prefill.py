"""A long first booking message fills what it contains, and nothing else."""

from __future__ import annotations

from actions.logic.prefill import prefill_booking


def test_whole_booking_in_one_message() -> None:
    found = prefill_booking(
        "Hi, I'm Maria Lopez and I'd like a home visit for my son Leo, he's 9 months old. "
        "You can reach me at maria@example.com",
        "US",
    )
    assert found == {
        "parent_name": "Maria Lopez",
        "child_name": "Leo",
        "child_age": found["child_age"],
        "contact": "maria@example.com",
        "visit_type": "in_home",
    }
    assert "9" in found["child_age"]


def test_phone_and_virtual() -> None:
    found = prefill_booking("my name is Dev, can we do a zoom consult? call 212-555-0147", "US")
    assert found["parent_name"] == "Dev"
    assert found["contact"] == "212-555-0147"
    assert found["visit_type"] == "virtual"
    assert "child_name" not in found


def test_plain_request_fills_nothing() -> None:
    assert prefill_booking("I'd like to book a free consultation", "US") == {}


def test_child_with_age_before_the_word() -> None:
    found = prefill_booking("booking for our 2 year old daughter Ava", "US")
    assert found["child_name"] == "Ava"
