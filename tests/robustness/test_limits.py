"""Per-sender rate limiting and the limit settings, with a clock the test controls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.limits import Limits, RateLimiter, throttled_reply
from sprout.settings import get_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_the_sender_is_held_back_once_told() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 60, clock)
    assert all(limiter.check("parent").allowed for _ in range(5))
    first = limiter.check("parent")
    second = limiter.check("parent")
    assert not first.allowed and first.first_refusal
    assert not second.allowed and not second.first_refusal
    assert first.retry_after_s == pytest.approx(12.0)  # one message per 60/5 s


def test_tokens_come_back_over_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 60, clock)
    for _ in range(6):
        limiter.check("parent")
    clock.now += 12.0
    assert limiter.check("parent").allowed
    assert not limiter.check("parent").allowed
    clock.now += 3600
    assert sum(limiter.check("parent").allowed for _ in range(10)) == 5  # never above the burst


def test_senders_do_not_share_a_bucket() -> None:
    limiter = RateLimiter(2, 60, Clock())
    for _ in range(3):
        limiter.check("a")
    assert limiter.check("b").allowed


def test_emergencies_always_pass() -> None:
    limiter = RateLimiter(1, 3600, Clock())
    limiter.check("parent", "hi")
    assert not limiter.check("parent", "hello?").allowed
    assert limiter.check("parent", "my baby isn't breathing").allowed


def test_zero_switches_the_limit_off() -> None:
    limiter = RateLimiter(0, 60, Clock())
    assert all(limiter.check("parent").allowed for _ in range(1000))


def test_memory_stays_bounded_when_senders_rotate() -> None:
    limiter = RateLimiter(3, 60, Clock(), max_tracked=100)
    for index in range(10_000):
        limiter.check(f"sender-{index}")
    assert len(limiter._buckets) == 100


@settings(max_examples=100, deadline=None)
@given(
    capacity=st.integers(1, 30),
    window=st.floats(1, 600),
    gaps=st.lists(st.floats(0, 30), min_size=1, max_size=200),
)
def test_never_more_than_the_burst_plus_the_refill(
    capacity: int, window: float, gaps: list[float]
) -> None:
    clock = Clock()
    start = clock.now
    limiter = RateLimiter(capacity, window, clock)
    allowed = 0
    for gap in gaps:
        clock.now += gap
        allowed += limiter.check("parent").allowed
    assert allowed <= capacity + (clock.now - start) * capacity / window + 1e-6


def test_limits_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits()
    limits = Limits.from_env(
        {
            "SPROUT_RATE_LIMIT_MESSAGES": "5",
            "SPROUT_RATE_LIMIT_WINDOW_S": "10",
            "SPROUT_MAX_REQUEST_BYTES": "2048",
            "SPROUT_TURN_TIMEOUT_S": "8",
        }
    )
    assert (limits.messages, limits.window_s, limits.max_request_bytes) == (5, 10.0, 2048)
    assert limits.turn_timeout_s == 8.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SPROUT_RATE_LIMIT_MESSAGES", "lots"),
        ("SPROUT_RATE_LIMIT_MESSAGES", "-1"),
        ("SPROUT_RATE_LIMIT_WINDOW_S", "0"),
        ("SPROUT_MAX_REQUEST_BYTES", "10"),
        ("SPROUT_TURN_TIMEOUT_S", "inf"),
    ],
)
def test_a_bad_setting_names_itself(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Limits.from_env({name: value})


def test_the_reply_says_what_to_do_and_keeps_the_emergency_number() -> None:
    clinic = get_settings().clinic
    text = throttled_reply()
    assert "faster than I can read" in text
    assert clinic.phone in text and clinic.emergency_number in text
