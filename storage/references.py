"""Short booking references that are easy to read out over the phone."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S or 2/Z: nothing a receptionist could mishear or misread.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
PREFIX = "SPR-"


def new_reference(length: int = 4) -> str:
    """Return a reference such as SPR-7K3Q."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(length))
