"""Limits every public channel applies before a message reaches Rasa.

A family writes a few messages a minute; a script or a stuck client can send
hundreds. Each sender gets a token bucket (a burst of `messages`, refilled
evenly over `window_s`), request bodies have a size cap, and a turn that takes
too long is answered with an apology while it finishes in the background.
Messages that look like an emergency are never held back.

Settings come from the environment, read once when a channel is built:

- SPROUT_RATE_LIMIT_MESSAGES (20; 0 switches the limit off)
- SPROUT_RATE_LIMIT_WINDOW_S (60)
- SPROUT_MAX_REQUEST_BYTES (65536) for REST and socket.io; SMS keeps Twilio's own cap
- SPROUT_TURN_TIMEOUT_S (30) before a parent is told there is a problem
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from safety.emergency import looks_like_emergency

DEFAULT_MESSAGES = 20
DEFAULT_WINDOW_S = 60.0
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024
DEFAULT_TURN_TIMEOUT_S = 30.0
# Buckets kept in memory; the oldest idle ones are forgotten first, which only
# ever gives a sender a fresh (full) bucket.
MAX_TRACKED_SENDERS = 50_000


@dataclass(frozen=True)
class Limits:
    """The numbers behind the channel limits."""

    messages: int = DEFAULT_MESSAGES
    window_s: float = DEFAULT_WINDOW_S
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    turn_timeout_s: float = DEFAULT_TURN_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Read the SPROUT_* variables; a bad value stops start-up with its name."""
        env = os.environ if env is None else env
        return cls(
            messages=int(_number(env, "SPROUT_RATE_LIMIT_MESSAGES", DEFAULT_MESSAGES, 0)),
            window_s=_number(env, "SPROUT_RATE_LIMIT_WINDOW_S", DEFAULT_WINDOW_S, 1e-3),
            max_request_bytes=int(
                _number(env, "SPROUT_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, 1024)
            ),
            turn_timeout_s=_number(env, "SPROUT_TURN_TIMEOUT_S", DEFAULT_TURN_TIMEOUT_S, 1.0),
        )


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if not minimum <= value < float("inf"):
        raise ValueError(f"{name} must be at least {minimum:g}, not {raw!r}")
    return value


@lru_cache(maxsize=1)
def get_limits() -> Limits:
    """The limits of this process, read on first use (never at import time)."""
    return Limits.from_env()


@dataclass(frozen=True)
class Verdict:
    """Whether a message may go on; `first_refusal` marks the first one held back."""

    allowed: bool
    retry_after_s: float = 0.0
    first_refusal: bool = False


class RateLimiter:
    """Per-sender token buckets: `messages` at once, then one every window/messages s."""

    def __init__(
        self,
        messages: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
        max_tracked: int = MAX_TRACKED_SENDERS,
    ) -> None:
        self.capacity = float(messages)
        self.refill_per_s = messages / window_s if messages else 0.0
        self.clock = clock
        self.max_tracked = max_tracked
        # sender -> (tokens, last update, already refused since the last allowed one)
        self._buckets: OrderedDict[str, tuple[float, float, bool]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def check(self, sender: str, text: str = "") -> Verdict:
        """Take one token for `sender`; emergencies always pass and cost nothing."""
        if not self.enabled or looks_like_emergency(text):
            return Verdict(True)
        now = self.clock()
        tokens, last, refused = self._buckets.pop(sender, (self.capacity, now, False))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
        if tokens >= 1.0:
            verdict = Verdict(True)
            state = (tokens - 1.0, now, False)
        else:
            verdict = Verdict(False, (1.0 - tokens) / self.refill_per_s, not refused)
            state = (tokens, now, True)
        self._buckets[sender] = state
        while len(self._buckets) > self.max_tracked:
            self._buckets.popitem(last=False)
        return verdict

    @classmethod
    def from_limits(cls, limits: Limits) -> RateLimiter:
        return cls(limits.messages, limits.window_s)


def throttled_reply() -> str:
    """What a sender over the limit is told (with the numbers that still work)."""
    from sprout.settings import get_settings  # read on demand, never at import time

    try:
        clinic = get_settings().clinic
        phone, emergency = clinic.phone, clinic.emergency_number
    except (OSError, ValueError):
        phone, emergency = "the clinic", "your local emergency number"
    return (
        "You're sending messages faster than I can read them. Please wait a minute, then "
        f"send your question again. If it can't wait, call us at {phone}. "
        f"In an emergency, call {emergency} now."
    )


def too_large_reply(limit_bytes: int) -> str:
    return (
        f"That request is too large (over {limit_bytes // 1024} KB). Please send a shorter message."
    )
