"""What a speed-up keeps about one tracker object, for exactly as long as that object lives.

Rasa builds a new tracker object for every message and copies it while predicting.
The replays in `sprout.dialogue_states` and `sprout.applied_events` are kept per
object, keyed by its id, and dropped when the object is collected, so a kept value
never outlives its tracker or passes to a later object that reuses the id.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def keep(store: dict[int, T], tracker: Any, value: T) -> T:
    """Store `value` for `tracker` until the tracker is collected; returns it."""
    key = id(tracker)
    if key not in store:
        weakref.finalize(tracker, store.pop, key, None)
    store[key] = value
    return value


def continues(items: Sequence[Any], seen: Sequence[Any]) -> bool:
    """Whether `items` begin with exactly the objects in `seen`, in the same order."""
    return len(items) >= len(seen) and all(a is b for a, b in zip(items, seen, strict=False))
