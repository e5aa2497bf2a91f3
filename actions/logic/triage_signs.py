"""The sign catalogue, loaded from content/triage_signs.yml so clinic staff can extend it.

The file follows the clinic's sources (the PT-vs-OT parent guides and the infant PT article);
its header explains the fields. It is read once and checked entry by entry, so a typo fails
at start-up with the entry named instead of silently matching nothing mid-conversation.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ABILITY, PROBLEM, SENSORY = "ability", "problem", "sensory"
# ABILITY: a skill or activity; negating it ("can't hold a spoon") is the concern.
# PROBLEM: a difficulty word or condition; negating it ("isn't stiff") clears it.
# SENSORY: an everyday input (baths, noise, tags); a concern only next to distress words.

SIGNS_FILE = Path(__file__).resolve().parents[2] / "content" / "triage_signs.yml"

AREAS = ("pt", "ot", "other")
KINDS = (ABILITY, PROBLEM, SENSORY)
# Groups the reply has wording for; "other" signs may use any group name.
GROUPS = frozenset(
    {"gross", "body", "milestones", "mobility", "tension", "fine", "selfcare", "sensory"}
    | {"feelings", "focus"}
)
# Labels the matching code refers to by name ("weak hands" becomes hand strength).
REQUIRED_LABELS = frozenset({"hand strength", "weakness"})

_SIGN_KEYS = frozenset({"label", "area", "kind", "group", "plural", "patterns"})
_CONDITION_KEYS = frozenset({"label", "patterns"})
_WORD = re.compile(r"~?[a-z0-9'-]+")


class Sign(NamedTuple):
    label: str
    area: str  # "pt", "ot", "other" or "condition"
    kind: str
    group: str
    patterns: tuple[str, ...]
    plural: bool = False


class SignFileError(ValueError):
    """The sign file is malformed; the message names the file and the entry."""


def _check_pattern(pattern: object) -> str | None:
    """Why a pattern cannot be matched, or None if it is fine."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "a pattern must be a non-empty phrase in quotes"
    required = 0
    for item in pattern.split():
        optional = item.endswith("?") and len(item) > 1
        body = item[:-1] if optional else item
        required += not optional
        if body in ("POSS", "#num"):
            continue
        for alt in body.split("|"):
            if alt in ("POSS", "#num"):
                return f"{alt} must stand alone in {pattern!r}, not as one of a|b"
            if not _WORD.fullmatch(alt):
                return f"cannot read {alt!r} in {pattern!r} (lower-case words, a|b, ~word, word?)"
    return None if required else f"{pattern!r} has only optional words"


def _sign(entry: object, where: str, condition: bool) -> Sign:
    """One entry as a Sign, or a SignFileError saying what is wrong with it."""
    if not isinstance(entry, dict):
        raise SignFileError(f"{where}: expected label, area, kind, group and patterns")
    label = entry.get("label")
    if isinstance(label, str) and label.strip():
        where = f"{where} ({label!r})"
    else:
        raise SignFileError(f"{where}: needs a label in plain words")
    allowed = _CONDITION_KEYS if condition else _SIGN_KEYS
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise SignFileError(f"{where}: unknown field {unknown[0]!r} (use {', '.join(allowed)})")
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise SignFileError(f"{where}: needs a list of patterns")
    for pattern in patterns:
        if (problem := _check_pattern(pattern)) is not None:
            raise SignFileError(f"{where}: {problem}")
    if condition:
        return Sign(label.strip(), "condition", PROBLEM, "condition", tuple(patterns))
    area, kind, group = entry.get("area"), entry.get("kind"), entry.get("group")
    plural = entry.get("plural", False)
    if area not in AREAS:
        raise SignFileError(f"{where}: area is {area!r}, use one of {', '.join(AREAS)}")
    if kind not in KINDS:
        raise SignFileError(f"{where}: kind is {kind!r}, use one of {', '.join(KINDS)}")
    if not isinstance(group, str) or not group.strip():
        raise SignFileError(f"{where}: needs a group")
    if area != "other" and group not in GROUPS:
        raise SignFileError(f"{where}: group is {group!r}, use one of {', '.join(sorted(GROUPS))}")
    if not isinstance(plural, bool):
        raise SignFileError(f"{where}: plural must be true or false")
    return Sign(label.strip(), area, kind, group, tuple(patterns), plural)


def parse_signs(data: Any, source: str = "triage_signs.yml") -> tuple[Sign, ...]:
    """Conditions first, then signs, in file order; checked entry by entry."""
    if not isinstance(data, dict) or not isinstance(data.get("signs"), list):
        raise SignFileError(f"{source}: needs a 'signs:' list (and optionally 'conditions:')")
    conditions = data.get("conditions") or []
    if not isinstance(conditions, list):
        raise SignFileError(f"{source}: 'conditions:' must be a list")
    signs = [
        _sign(entry, f"{source}, conditions entry {n}", condition=True)
        for n, entry in enumerate(conditions, 1)
    ] + [
        _sign(entry, f"{source}, signs entry {n}", False)
        for n, entry in enumerate(data["signs"], 1)
    ]
    first: dict[str, Sign] = {}
    for sign in signs:
        seen = first.setdefault(sign.label, sign)
        if (seen.area, seen.group) != (sign.area, sign.group):
            raise SignFileError(
                f"{source}: the entries labelled {sign.label!r} must share one area and group"
            )
    missing = sorted(REQUIRED_LABELS - set(first))
    if missing:
        raise SignFileError(f"{source}: Sprout needs a sign labelled {missing[0]!r}")
    return tuple(signs)


@cache
def load_signs(path: Path = SIGNS_FILE) -> tuple[Sign, ...]:
    """The catalogue from a sign file, read and checked once per path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SignFileError(f"{path.name}: not valid YAML: {error}") from error
    return parse_signs(data, path.name)


def first_by_label(signs: tuple[Sign, ...]) -> dict[str, Sign]:
    """The first sign with each label, for looking a finding up by its label."""
    labels: dict[str, Sign] = {}
    for sign in signs:
        labels.setdefault(sign.label, sign)
    return labels


SIGNS: tuple[Sign, ...] = load_signs()
LABELS: dict[str, Sign] = first_by_label(SIGNS)
