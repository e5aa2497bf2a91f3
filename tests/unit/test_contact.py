"""Reading names, contacts and visit types from what parents type."""

from __future__ import annotations

import pytest

from actions.logic.contact import clean_name, parse_contact, parse_visit_type


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Maria", "Maria"),
        ("  maria lopez  ", "maria lopez"),
        ("I'm Sarah", "Sarah"),
        ("my name is Anne-Marie O'Neil", "Anne-Marie O'Neil"),
        ("Hi, it's Dev.", "Dev"),
        ("José", "José"),
        ("李明", "李明"),
    ],
)
def test_names_are_trimmed(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    "text", ["", "   ", "12345", "!!!", "a" * 81, "one two three four five six"]
)
def test_non_names_are_rejected(text: str) -> None:
    assert clean_name(text) is None


@pytest.mark.parametrize(
    ("text", "kind", "normalised"),
    [
        ("(212) 555-0147", "phone", "+12125550147"),
        ("212.555.0147", "phone", "+12125550147"),
        ("+44 20 7946 0958", "phone", "+442079460958"),
        ("call me on 212 555 0147 please", "phone", "+12125550147"),
        ("maria@example.com", "email", "maria@example.com"),
        ("email me at Maria.Lopez@Example.org.", "email", "Maria.Lopez@example.org"),
    ],
)
def test_contacts_are_validated_and_normalised(text: str, kind: str, normalised: str) -> None:
    contact = parse_contact(text, "US")
    assert contact is not None
    assert (contact.kind, contact.normalised) == (kind, normalised)


@pytest.mark.parametrize("text", ["not a phone", "555", "maria@", "@example.com", "12", "a@b"])
def test_bad_contacts_are_rejected(text: str) -> None:
    assert parse_contact(text, "US") is None


@pytest.mark.parametrize(
    ("text", "visit"),
    [
        ("At home", "in_home"),
        ("can you come to our house", "in_home"),
        ("At the clinic", "in_clinic"),
        ("your office is fine", "in_clinic"),
        ("we'll come to you", "in_clinic"),
        ("zoom", "virtual"),
        ("Online by video", "virtual"),
        ("a video call from home", "virtual"),
    ],
)
def test_visit_types(text: str, visit: str) -> None:
    assert parse_visit_type(text) == visit


@pytest.mark.parametrize("text", ["whenever", "tuesday", ""])
def test_unknown_visit_type(text: str) -> None:
    assert parse_visit_type(text) is None
