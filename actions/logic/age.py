"""Find and check a child's age in a parent's words.

Parents write ages in many shapes ("18mo", "2 1/2", "two and a half", "1 year 3 months"),
and numbers also show up in other roles ("2 sessions", "at 3pm", "born 6 weeks early").
This module turns the age shapes into months and leaves the other numbers alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_YEARS = 18  # the booking form accepts children from birth to 18
PT_MAX_YEARS = 16  # physical therapy: from the NICU up to 16 (source P)
OT_MAX_YEARS = 12  # occupational therapy: 0-12 (source P)


@dataclass(frozen=True)
class ChildAge:
    """An age as the parent wrote it, plus its value in months for range checks."""

    phrase: str
    months: float


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_WORDS = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_HALF = r"(?:\s+and\s+(?:a\s+half|1/2|½))"
_DIGITS = r"\d{1,3}(?:\.\d+)?(?:\s*(?:1/2|½))?|½"
_WORDNUM = rf"(?:{_WORDS})(?:[\s-](?:{'|'.join(_UNITS)}))?"


def _num(name: str, article: bool = True) -> str:
    """A number, optionally "and a half"; `article` also allows "a"/"an" (as in "a year")."""
    alts = f"{_DIGITS}|{_WORDNUM}" + ("|an?" if article else "")
    return rf"(?P<{name}>(?:{alts}))(?P<{name}_h>{_HALF})?"


_SEP = r"\s*-?\s*"
_Y = r"(?:years?|yrs?|yo|y/o|y\.o\.?|y)"
_M = r"(?:months?|mos?|mths?|mnths?|m/o|m)"
_W = r"(?:weeks?|wks?|wk|w)"
_D = r"(?:days?)"
_END = r"(?![a-z0-9])"
_HALF_AFTER = r"(?P<{0}>\s+and\s+a\s+half)?"
_AGE = re.compile(
    rf"(?<![a-z0-9./])(?:"
    rf"{_num('y')}{_SEP}(?P<yu>{_Y}){_END}{_HALF_AFTER.format('yh2')}"
    rf"(?:[\s,]*(?:and\s+)?{_num('ym', article=False)}{_SEP}{_M}{_END})?"
    rf"|{_num('m')}{_SEP}(?P<mu>{_M}){_END}"
    rf"|{_num('w')}{_SEP}{_W}{_END}"
    rf"|{_num('d')}{_SEP}{_D}{_END}"
    rf")(?P<old>{_SEP}old{_END}|\s+of\s+age{_END})?"
)
_BARE = re.compile(rf"(?<![a-z0-9./])(?:{_num('b', article=False)}){_END}")
_NEWBORN = re.compile(r"\b(?:new\s*-?\s*born|just\s+born)\b")

_ABBREVIATED = {"yo", "y/o", "y.o", "y.o."}
_CUE_BEFORE = re.compile(
    r"(?:'s|\b(?:is|was|am|are|turned|turns|turning|aged|age|ages|my|our|your|his|her|their|a|an))"
    r"\s+(?:(?:almost|nearly|just|about|around|only|now|over|under|barely|exactly)\s+)*$"
)
_REJECT_BEFORE = re.compile(
    r"\b(?:for|in|every|past|last|since|after|within|per|each|than|next|first|born|"
    r"once|twice|extra|another|few)\s+$"
)
_REJECT_AFTER = re.compile(
    r"^\s*(?:ago|later|early|earlier|premature|prematurely|prem|preterm|before|after|"
    r"gestation|gestational|pregnant|from\s+now|of\s+(?:therapy|pt|ot|sessions?|treatment))\b"
)
_CHILD_SUBJECT = re.compile(
    r"(?:\b(?:he|she|they|son|daughter|baby|child|kid|boy|girl|toddler|twins|grandson|"
    r"granddaughter|niece|nephew)(?:\s+(?:is|was|are)|'s)|\b(?:turned|turns|turning|aged))"
    r"\s+(?:(?:almost|nearly|just|about|around|only|now|over|exactly)\s+)*$"
)
_BARE_FOLLOWERS = {"", "and", "but", "so", "now", "yet", "already", "soon", "next", "this", "with"}
_FILLER_PREFIX = re.compile(
    r"^(?:(?:he|she|they|it|my\s+\w+|our\s+\w+|[a-z]+)"
    r"(?:\s+(?:is|was|are|turned|just\s+turned)|'s)\s+)?"
    r"(?:(?:about|around|almost|nearly|just|only|approx\.?|approximately|roughly|~|turning|"
    r"turned|age|aged)\s+)*"
)
_FILLER_SUFFIX = re.compile(r"[\s,]*(?:now|today|at the moment|currently)?[\s.!?,;]*$")


def _number(raw: str | None, half: str | None = None) -> float:
    """Value of a number as written: digits, "2 1/2", "2½", words, "a"/"an"."""
    if raw is None:
        return 0.0
    text = raw.strip().lower()
    value = 0.0
    if text.endswith(("1/2", "½")):
        value += 0.5
        text = text.removesuffix("1/2").removesuffix("½").strip()
    if text in ("a", "an"):
        value += 1
    elif text and text[0].isdigit():
        value += float(text)
    elif text:
        for part in re.split(r"[\s-]+", text):
            value += _UNITS.get(part, _TENS.get(part, 0))
    return value + (0.5 if half else 0.0)


def _months(match: re.Match[str]) -> float:
    """Months from one age match, whichever unit it used."""
    g = match.groupdict()
    if g["y"] is not None:
        years = _number(g["y"], g["y_h"] or g["yh2"])
        return years * 12 + _number(g["ym"], g["ym_h"])
    if g["m"] is not None:
        return _number(g["m"], g["m_h"])
    if g["w"] is not None:
        return _number(g["w"], g["w_h"]) * 12 / 52
    return _number(g["d"], g["d_h"]) * 12 / 365.25


def _is_age_context(lower: str, match: re.Match[str]) -> bool:
    """Whether a number-with-unit is the child's age rather than a duration or a date."""
    before, after = lower[: match.start()], lower[match.end() :]
    if _REJECT_AFTER.match(after):
        return False
    if match.group("old") or (match.group("yu") or "") in _ABBREVIATED:
        return not re.search(r"\bborn\s+$", before)
    if _REJECT_BEFORE.search(before):
        return False
    if _CUE_BEFORE.search(before) or not before.strip(" \t\n,.!-:;"):
        return True
    return (match.group("mu") or "") in {"mo", "mos", "m/o"}


def _valid(months: float) -> bool:
    return 0 <= months <= MAX_YEARS * 12


def find_age(text: str) -> ChildAge | None:
    """The first child's age mentioned in free text, or None.

    Needs a unit ("9 months", "18mo", "three years old") or an unmistakable age phrase
    ("she just turned 2"); adult ages and durations ("for 3 months") are skipped.
    """
    lower = text.lower().replace("’", "'")  # same length, so offsets still fit `text`
    candidates: list[tuple[int, ChildAge]] = []
    for match in _AGE.finditer(lower):
        months = _months(match)
        if _is_age_context(lower, match) and _valid(months):
            phrase = text[match.start() : match.end()].strip()
            candidates.append((match.start(), ChildAge(phrase, round(months, 2))))
            break
    for match in _BARE.finditer(lower):
        after = re.match(r"\s*([a-z]*)", lower[match.end() :])
        follower = after.group(1) if after else ""
        rest = lower[match.end() :].lstrip()
        if rest[:1] in {"%", ":", "$", "/"} or follower not in _BARE_FOLLOWERS:
            continue
        if not _CHILD_SUBJECT.search(lower[: match.start()]):
            continue
        years = _number(match.group("b"), match.group("b_h"))
        if years <= MAX_YEARS:
            phrase = text[match.start() : match.end()].strip()
            candidates.append((match.start(), ChildAge(phrase, round(years * 12, 2))))
            break
    newborn = _NEWBORN.search(lower)
    if newborn is not None:
        candidates.append((newborn.start(), ChildAge(text[newborn.start() : newborn.end()], 0.0)))
    return min(candidates, key=lambda item: item[0])[1] if candidates else None


def parse_age(text: str) -> ChildAge | None:
    """Read a whole answer as an age ("18mo", "2 yrs", "two and a half", "newborn").

    A bare number counts as years. Anything outside 0-18 years, or with words that are not
    part of an age, gives None so the booking form can ask again.
    """
    lower = text.strip().lower().replace("’", "'")
    lower = _FILLER_SUFFIX.sub("", lower)
    lower = _FILLER_PREFIX.sub("", lower, count=1)
    lower = re.sub(r"\s+old$|\s+of\s+age$", "", lower).strip()
    if re.fullmatch(r"(?:an?\s+|just\s+)?(?:new\s*-?\s*born|just\s+born)(?:\s+baby)?", lower):
        return ChildAge(text.strip(), 0.0)
    match = _AGE.fullmatch(lower)
    if match is not None:
        months = _months(match)
    else:
        bare = _BARE.fullmatch(lower)
        if bare is None:
            return None
        months = _number(bare.group("b"), bare.group("b_h")) * 12
    if not _valid(months):
        return None
    return ChildAge(text.strip().rstrip(".!?,; "), round(months, 2))


def age_note(months: float, therapy: str | None) -> str | None:
    """An honest note when the child is older than the suggested therapy's age range."""
    if months < 0 or therapy not in ("pt", "ot", "both"):
        return None
    years = int(months // 12)
    pt_out, ot_out = years > PT_MAX_YEARS, years > OT_MAX_YEARS
    if therapy in ("pt", "both") and pt_out:
        what = "physical therapists see" if therapy == "pt" else "therapists see"
        range_ = "from the NICU up to 16" if therapy == "pt" else "up to 16 for PT and 12 for OT"
        return (
            f"Our {what} children {range_}, so at {years} we may not be the right fit. "
            "Your pediatrician can point you to teen or adult services."
        )
    if therapy == "ot" and ot_out:
        return (
            f"Our occupational therapists see children from birth to 12, so at {years} "
            "we may not be the right fit. Your pediatrician can point you to services for "
            "older children and teens."
        )
    if therapy == "both" and ot_out:
        return (
            f"Our occupational therapists see children up to 12, so at {years} our physical "
            "therapists can still help with the moving side, and your pediatrician can point "
            "you to support for everyday tasks."
        )
    return None
