"""Recognise an explicit request to book, however much else the message says.

"Hi, I'm Maria, I'd like to book a home visit for my son Leo, he's 9 months"
talks about a child, but what the parent asks for is a booking: the form should
start (and take the details the message already gives).
"""

from __future__ import annotations

import re

_ASK = (
    r"(?:i'?d like to|i would like to|i want to|i wanna|i need to|we'?d like to|we want to|"
    r"we need to|can i|could i|can we|could we|may i|please|pls|plz|i'?d love to|let me)"
)
_VERB = r"(?:book|schedule|make|set up|arrange|get|request)"
_THING = (
    r"(?:an? )?(?:free )?(?:home |video |virtual |online |in-home |in-clinic |clinic )?"
    r"(?:consultation|consult|appointment|appt|evaluation|assessment|visit|session)"
)
_PATTERNS = [
    re.compile(
        rf"\b{_ASK}\s+(?:\w+\s+)?{_VERB}\s+(?:me\s+|us\s+|him\s+|her\s+|them\s+)?(?:in\s+)?(?:for\s+)?{_THING}\b"
    ),
    re.compile(rf"\b{_ASK}\s+book\b(?!\s+(?:about|on|of)\b)"),
    re.compile(r"\bbook (?:me|us|him|her|them) in\b"),
]


def asks_to_book(text: str) -> bool:
    """True when the message plainly asks to book a consultation or visit."""
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    return any(pattern.search(lowered) for pattern in _PATTERNS)
