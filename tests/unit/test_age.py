"""Ages as parents write them, and numbers that only look like ages."""

from __future__ import annotations

import pytest

from actions.logic.age import ChildAge, age_note, find_age, parse_age


@pytest.mark.parametrize(
    ("text", "phrase", "months"),
    [
        ("my 9 month old isn't crawling", "9 month old", 9),
        ("she is 9 months", "9 months", 9),
        ("9 months, not crawling yet", "9 months", 9),
        ("my 9 mo won't sit", "9 mo", 9),
        ("my 18mo isn't walking", "18mo", 18),
        ("our 14 month old hates tummy time", "14 month old", 14),
        ("we have an 18-month-old who won't walk", "18-month-old", 18),
        ("my 2 1/2 year old can't jump", "2 1/2 year old", 30),
        ("he is 2.5 years and can't jump", "2.5 years", 30),
        ("she's 2 yrs", "2 yrs", 24),
        ("he is three years old and clumsy", "three years old", 36),
        ("she is two and a half years old", "two and a half years old", 30),
        ("my 6 weeks old baby only turns her head one way", "6 weeks old", 1.38),
        ("he's 6 wks old", "6 wks old", 1.38),
        ("she is 1 year 3 months", "1 year 3 months", 15),
        ("he is 1 year and 3 months and not walking", "1 year and 3 months", 15),
        ("a year and a half old and not talking", "a year and a half old", 18),
        ("my 4 yo can't use scissors", "4 yo", 48),
        ("she just turned 2 and isn't talking", "2", 24),
        ("he's 4 now", "4", 48),
        ("my newborn has a flat spot", "newborn", 0),
        ("I'm 35 years old and my daughter is 4.", "4", 48),
        ("She’s 3 and hates loud noises", "3", 36),
    ],
)
def test_find_age(text: str, phrase: str, months: float) -> None:
    assert find_age(text) == ChildAge(phrase, months)


@pytest.mark.parametrize(
    "text",
    [
        "we'd like 2 sessions a week",
        "call me on 555 1234",
        "can we come at 3pm",
        "he was born 6 weeks early",
        "she was born at 32 weeks",
        "we've done PT for 3 months now",
        "she started walking 2 weeks ago",
        "we'll be away in 6 weeks",
        "my son is 3 feet tall",
        "he hasn't crawled in the last 6 months",
        "my 45 year old husband will bring him",
        "she is crawling",
        "",
    ],
)
def test_find_age_ignores_other_numbers(text: str) -> None:
    assert find_age(text) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("18mo", 18),
        ("18 months", 18),
        ("9 mo", 9),
        ("14 month old", 14),
        ("2 yrs", 24),
        ("1.5 years", 18),
        ("2.5 years", 30),
        ("2 1/2", 30),
        ("2½", 30),
        ("3", 36),
        ("0", 0),
        ("17", 204),
        ("18", 216),
        ("6 weeks", 1.38),
        ("6 wks old", 1.38),
        ("10 days", 0.33),
        ("newborn", 0),
        ("a newborn", 0),
        ("two and a half", 30),
        ("three years old", 36),
        ("a year", 12),
        ("1 year 3 months", 15),
        ("1y 3m", 15),
        ("she's 2", 24),
        ("about 9 months old", 9),
        ("He is 4.", 48),
    ],
)
def test_parse_age(text: str, months: float) -> None:
    age = parse_age(text)
    assert age is not None
    assert age.months == months
    assert age.phrase == text.strip().rstrip(".")


@pytest.mark.parametrize(
    "text",
    [
        "19",
        "24",
        "19 years",
        "18 and a half",
        "250 months",
        "-1",
        "2 sessions",
        "3pm",
        "555 1234",
        "tennis 2",
        "abc",
        "",
        "twenty",
        "my son",
    ],
)
def test_parse_age_rejects(text: str) -> None:
    assert parse_age(text) is None


def test_bare_number_means_years_but_m_suffix_means_months() -> None:
    assert parse_age("9") == ChildAge("9", 108)
    assert parse_age("9m") == ChildAge("9m", 9)
    assert parse_age("9 months") == ChildAge("9 months", 9)


@pytest.mark.parametrize(
    ("months", "therapy", "expected"),
    [
        (17 * 12, "pt", "physical therapists see children from the NICU up to 16, so at 17"),
        (13 * 12, "ot", "occupational therapists see children from birth to 12, so at 13"),
        (14 * 12, "both", "physical therapists can still help with the moving side"),
        (17 * 12, "both", "up to 16 for PT and 12 for OT, so at 17"),
    ],
)
def test_age_note_outside_the_range(months: float, therapy: str, expected: str) -> None:
    note = age_note(months, therapy)
    assert note is not None
    assert expected in note
    assert "pediatrician" in note
    assert note.isascii() and len(note) <= 400


@pytest.mark.parametrize(
    ("months", "therapy"),
    [
        (0, "pt"),
        (9, "pt"),
        (16 * 12 + 11, "pt"),
        (12 * 12 + 6, "ot"),
        (12 * 12, "both"),
        (30, "other"),
        (17 * 12, "other"),
        (17 * 12, None),
        (-1, "pt"),
    ],
)
def test_age_note_silent_inside_the_range(months: float, therapy: str | None) -> None:
    assert age_note(months, therapy) is None
