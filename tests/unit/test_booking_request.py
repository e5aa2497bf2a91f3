"""Explicit booking requests are recognised; talk about books and visits is not."""

from __future__ import annotations

import pytest

from intent_rules.booking import asks_to_book


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to book a free consultation",
        "Hi, I'm Maria and I'd like to book a home visit for my son Leo, he's 9 months",
        "can I schedule an appointment for my daughter",
        "could we set up a video consult please",
        "I want to make an appointment",
        "please book me in",
        "can we book? she is 2 and not walking",
        "I need to arrange an evaluation for my son",
        "pls book a consult for my lo",
    ],
)
def test_booking_requests(text: str) -> None:
    assert asks_to_book(text)


@pytest.mark.parametrize(
    "text",
    [
        "what will the therapist do at our first appointment",
        "video appointments?",
        "he can't turn the pages of a board book",
        "how do I get started",
        "my son has an appointment with the pediatrician next week",
        "is a home visit possible?",
        "we read a book about tummy time",
        "how many sessions will she need",
    ],
)
def test_not_booking_requests(text: str) -> None:
    assert not asks_to_book(text)
