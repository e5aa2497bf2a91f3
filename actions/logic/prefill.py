"""Fill booking details from one long first message.

"Hi, I'm Maria, I'd like a home visit for my son Leo, he's 9 months, call me on
212 555 0147" should not be asked again piece by piece.
"""

from __future__ import annotations

import re

from actions.logic.age import find_age
from actions.logic.contact import clean_name, parse_contact, parse_visit_type

_NAME = r"([A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)?)"
_PARENT = re.compile(
    r"\b(?:[Ii]'m|[Ii] am|[Mm]y name is|[Mm]y name's|[Tt]his is|[Ii]t's)\s+" + _NAME
)
_CHILD = re.compile(
    r"\b(?:[Mm]y|[Oo]ur)\s+(?:\d+\s*(?:month|year|yr|mo)s?[\s-]*old\s+)?"
    r"(?:son|daughter|baby|boy|girl|child|kid|toddler|little one|grandson|granddaughter)"
    r"(?:'s name is|,)?\s+(?:is\s+)?(?:named\s+|called\s+)?" + _NAME
)
_NOT_NAMES = {"I", "Im", "Hi", "Hello", "Can", "Could", "Would", "Please", "Thanks", "The"}


def _name(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    words = [w for w in match.group(1).split() if w not in _NOT_NAMES]
    return clean_name(" ".join(words)) if words else None


def prefill_booking(text: str, default_region: str) -> dict[str, str]:
    """Booking slots found in free text; only what is clearly there."""
    found: dict[str, str] = {}
    parent = _name(_PARENT.search(text))
    child = _name(_CHILD.search(text))
    if parent:
        found["parent_name"] = parent
    if child and child != parent:
        found["child_name"] = child
    age = find_age(text)
    if age is not None:
        found["child_age"] = age.phrase
    contact = parse_contact(text, default_region)
    if contact is not None:
        found["contact"] = contact.as_typed
    visit = parse_visit_type(text)
    if visit is not None:
        found["visit_type"] = visit
    return found
