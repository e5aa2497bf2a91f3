"""Explanation wording: a short, warm reason for the suggestion, never a diagnosis."""

from __future__ import annotations

from typing import NamedTuple

from actions.logic.triage_model import Assessment, Finding, Therapy
from actions.logic.triage_signs import LABELS

MAX_EXPLANATION = 400  # keeps a reply to a few SMS segments
# Every PT/OT suggestion ends with this: information, never a diagnosis.
DECIDES = (
    "A licensed therapist decides after an assessment, and a free consultation is how to find out."
)


class _Wording(NamedTuple):
    one: str  # predicate after one label: "Crawling is a gross-motor skill"
    many: str  # after several: "Crawling and rolling are gross-motor skills"
    adjective: str  # "Adding using a spoon, which is fine-motor, ..."
    noun: str  # in mixed lists: "are about movement and gross-motor skills"


_SENSES = "about how the body takes in senses like touch and sound"
_GROUPS: dict[str, _Wording] = {
    "gross": _Wording(
        "is a gross-motor skill", "are gross-motor skills", "gross-motor", "gross-motor skills"
    ),
    "body": _Wording(
        "can affect how the body moves",
        "can affect how the body moves",
        "about movement",
        "movement",
    ),
    "milestones": _Wording(
        "is part of motor development",
        "are part of motor development",
        "about motor development",
        "motor development",
    ),
    "mobility": _Wording(
        "is about getting around", "are about getting around", "about getting around", "mobility"
    ),
    "tension": _Wording(
        "can be linked to tightness in the body",
        "can be linked to tightness in the body",
        "about body tension",
        "body tension",
    ),
    "fine": _Wording("is a fine-motor skill", "are fine-motor skills", "fine-motor", "hand skills"),
    "selfcare": _Wording(
        "is an everyday self-care task", "are everyday self-care tasks", "self-care", "self-care"
    ),
    "sensory": _Wording(f"is {_SENSES}", f"are {_SENSES}", "sensory", "the senses"),
    "feelings": _Wording(
        "is about handling big feelings",
        "are about handling big feelings",
        "about big feelings",
        "big feelings",
    ),
    "focus": _Wording(
        "is part of getting everyday tasks done",
        "are part of getting everyday tasks done",
        "about focus",
        "focus",
    ),
    "doing": _Wording(
        "is about everyday tasks",
        "are about everyday tasks",
        "about everyday tasks",
        "everyday tasks",
    ),
}
_THERAPY_NAMES = {"pt": "PT", "ot": "OT", "both": "both PT and OT", "other": "another kind of help"}
_OTHER_POINTERS = {
    "speech": "For speech, a speech-language therapist is the best person to look at this, "
    "and your pediatrician can refer you.",
    "hearing": "For hearing, your pediatrician can arrange a hearing check.",
}


def _group(finding: Finding) -> str:
    sign = LABELS.get(finding.label)
    if sign is not None and sign.area == finding.area:
        return sign.group
    return {"pt": "body", "ot": "doing"}.get(finding.area, "other")


def _join(items: list[str], limit: int, word: str = "and") -> str:
    shown = items[:limit]
    if len(items) > limit:
        return ", ".join(shown) + " and more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {word} {shown[-1]}"


def _is_plural(findings: list[Finding]) -> bool:
    sign = LABELS.get(findings[0].label)
    return len(findings) > 1 or bool(sign and sign.plural)


def _describe(findings: list[Finding], limit: int) -> str:
    """Labels with what they have in common: "Crawling and tummy time are gross-motor skills"."""
    groups = list(dict.fromkeys(_group(f) for f in findings))
    plural = _is_plural(findings)
    if len(groups) == 1:
        wording = _GROUPS[groups[0]]
        what = wording.many if plural else wording.one
    else:
        nouns = [_GROUPS[g].noun for g in groups]
        what = f"{'are' if plural else 'is'} about {_join(nouns, 4)}"
    labels = _join([f.label for f in findings], limit)
    return f"{labels[:1].upper()}{labels[1:]} {what}"


def _single_area(findings: list[Finding], area: str, limit: int) -> str:
    part, therapy = ("moving", "physical") if area == "pt" else ("doing", "occupational")
    return (
        f"{_describe(findings, limit)} - the {part} part of life, which is what {therapy} "
        f"therapy works on. {area.upper()} may help."
    )


def _other_pointer(findings: list[Finding], limit: int) -> str:
    """A kind pointer away from PT/OT: speech-language therapy or the pediatrician."""
    groups = {_group(f) for f in findings}
    parts = [_OTHER_POINTERS[g] for g in ("speech", "hearing") if g in groups]
    rest = [f.label for f in findings if _group(f) not in ("speech", "hearing")]
    if rest:
        parts.append(
            f"For {_join(rest, limit)}, your pediatrician is a good first stop and can point "
            "you to the right support."
        )
    return " ".join(parts)


def _changed_prefix(assessment: Assessment, previous: Therapy, limit: int) -> str:
    """ "Adding using a spoon, which is fine-motor, I'd now suggest both PT and OT" """
    therapy = assessment.therapy
    assert therapy is not None
    covered = {"pt": {"pt"}, "ot": {"ot"}, "both": {"pt", "ot"}}.get(previous, {"other"})
    if not any(f.area in covered for f in assessment.findings):
        return f"Based on what you've told me, I'd now suggest {_THERAPY_NAMES[therapy]}."
    new = [f for f in assessment.findings if f.area in ("pt", "ot") and f.area not in covered]
    conditions = list(assessment.conditions) if previous != "both" else []
    target = _THERAPY_NAMES[therapy]
    if new:
        adjs = list(dict.fromkeys(_GROUPS[_group(f)].adjective for f in new))
        verb = "are" if _is_plural(new) else "is"
        labels = _join([f.label for f in new], limit)
        return f"Adding {labels}, which {verb} {_join(adjs, 3)}, I'd now suggest {target}."
    if conditions:
        return (
            f"Adding {_join(conditions, limit)}, which often calls for both kinds of therapy, "
            f"I'd now suggest {target}."
        )
    return f"Based on everything you've told me, I'd now suggest {target}."


def _body(assessment: Assessment, limit: int, changed: bool) -> str:
    therapy = assessment.therapy
    pt = [f for f in assessment.findings if f.area == "pt"]
    ot = [f for f in assessment.findings if f.area == "ot"]
    other = [f for f in assessment.findings if f.area == "other"]
    if therapy is None:
        return (
            "I couldn't pick out a specific difficulty yet. Could you tell me a bit more about "
            "what your child finds hard - like moving around, using their hands, or everyday "
            "tasks such as eating and dressing?"
        )
    if therapy == "other":
        return f"Thanks for telling me. {_other_pointer(other, limit)}"
    if assessment.conditions:
        names = _join(list(assessment.conditions), limit, "or")
        text = (
            f"Children with {names} often benefit from both: PT for moving and OT for everyday "
            "tasks like self-care."
        )
        return (
            text
            if changed
            else f"You mentioned {_join(list(assessment.conditions), limit)}. {text}"
        )
    if therapy == "both":
        pt_labels = _join([f.label for f in pt], limit)
        ot_labels = _join([f.label for f in ot], limit)
        if changed:
            return f"PT for {pt_labels}, and OT for {ot_labels}."
        doing = _describe(ot, limit)
        return (
            f"{_describe(pt, limit)}, the moving part that PT works on, and "
            f"{doing[:1].lower()}{doing[1:]}, the doing part that OT works on. "
            "Many children get both."
        )
    return _single_area(pt if therapy == "pt" else ot, therapy, limit)


def explain(assessment: Assessment, previous: Therapy | None = None) -> str:
    """A short, warm reason for the suggestion, naming what was noticed; never a diagnosis.

    With `previous` (the suggestion before this turn) it also says what changed it. A PT/OT
    suggestion always ends by saying who decides and how to find out.
    """
    therapy = assessment.therapy
    closing = f" {DECIDES}" if therapy in ("pt", "ot", "both") else ""
    budget = MAX_EXPLANATION - len(closing)
    other = [f for f in assessment.findings if f.area == "other"]
    candidates: list[str] = []
    for limit in (4, 3, 2, 1):
        changed = previous is not None and therapy is not None and previous != therapy
        text = _body(assessment, limit, changed)
        if changed and previous is not None:
            text = f"{_changed_prefix(assessment, previous, limit)} {text}"
        extra = _other_pointer(other, limit) if other and therapy not in ("other", None) else ""
        if extra and len(text) + 1 + len(extra) <= budget:
            text = f"{text} {extra}"
        candidates.append(text)
        if len(text) <= budget:
            return text + closing
    shortest = min(candidates, key=len)
    cut = shortest[:budget]
    return (cut[: cut.rfind(". ") + 1] if ". " in cut else cut) + closing
