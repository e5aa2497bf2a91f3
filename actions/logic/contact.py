"""Reading the answers a parent gives in the booking form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

_NAME_PREFIX = re.compile(
    r"^\s*(?:hi|hello|hey)?[\s,!]*(?:my name is|my name's|i am|i'm|im|it's|its|this is|"
    r"name is|her name is|his name is|their name is|she's called|he's called|called)\s+",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
MAX_NAME_LENGTH = 80


@dataclass(frozen=True)
class Contact:
    """A validated contact: what the parent typed and a normalised form."""

    kind: str  # "phone" or "email"
    as_typed: str
    normalised: str


def clean_name(text: str) -> str | None:
    """A person's name from an answer such as "I'm Sarah", or None if it is not a name."""
    name = _NAME_PREFIX.sub("", text.strip()).strip(" .,!?\"'")
    name = re.sub(r"\s+", " ", name)
    if not name or len(name) > MAX_NAME_LENGTH:
        return None
    letters = len(_LETTER.findall(name))
    if letters < 1 or letters < len(name.replace(" ", "")) / 2:
        return None
    if len(name.split()) > 5:
        return None
    return name


def parse_contact(text: str, default_region: str) -> Contact | None:
    """A phone number (normalised to E.164) or an email address, else None."""
    candidate = text.strip().strip(".,;")
    if "@" in candidate:
        match = re.search(r"[^\s<>()\"',;]+@[^\s<>()\"',;]+", candidate)
        if match is None:
            return None
        try:
            email = validate_email(match.group(0), check_deliverability=False)
        except EmailNotValidError:
            return None
        return Contact("email", match.group(0), email.normalized)
    for match in phonenumbers.PhoneNumberMatcher(candidate, default_region):
        number = match.number
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return Contact("phone", match.raw_string, e164)
    return None


_VISIT_WORDS = {
    "in_home": (
        "home",
        "house",
        "come to us",
        "come to me",
        "our place",
        "visit us",
        "come over",
        "in-home",
        "inhome",
    ),
    "in_clinic": (
        "clinic",
        "office",
        "your place",
        "come to you",
        "in person",
        "in-clinic",
        "center",
        "centre",
    ),
    "virtual": (
        "virtual",
        "video",
        "online",
        "zoom",
        "teams",
        "facetime",
        "remote",
        "web",
        "skype",
        "telehealth",
    ),
}


def parse_visit_type(text: str) -> str | None:
    """Map "at home", "zoom", "your office" ... to in_home / in_clinic / virtual."""
    lowered = f" {text.lower()} "
    found = [kind for kind, words in _VISIT_WORDS.items() if any(w in lowered for w in words)]
    if "virtual" in found and "in_home" in found and "from home" in lowered:
        return "virtual"
    if len(found) == 1:
        return found[0]
    return None
