"""Suggest PT ("moving"), OT ("doing"), both, or neither from a parent's own words.

This is the public face of triage; the work is split across small modules:
triage_model (result types), triage_signs (the catalogue), triage_words (word sets),
triage_text (typo tolerance), triage_mentions (matching), triage_similar (the vector
fallback), triage_judge (negation and contrast) and triage_explain (the reply's wording).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actions.logic.triage_explain import MAX_EXPLANATION, explain
from actions.logic.triage_judge import is_concern
from actions.logic.triage_mentions import find_mentions, redirect
from actions.logic.triage_model import Area, Assessment, Finding, Therapy, unique_findings
from actions.logic.triage_signs import SENSORY
from actions.logic.triage_similar import similar_mentions
from actions.logic.triage_text import normalize

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "MAX_EXPLANATION",
    "Area",
    "Assessment",
    "Finding",
    "Therapy",
    "assess",
    "explain",
    "normalize",
]


def assess(text: str, nlp: Language) -> Assessment:
    """What a message says about the child, as findings and named conditions."""
    if not text or not text.strip():
        return Assessment()
    doc = nlp(normalize(text, nlp.vocab))
    # Vectors only when the patterns saw nothing: a near word never outvotes a real match.
    mentions = find_mentions(doc, nlp) or similar_mentions(doc, nlp)
    matched = {tok.i for span, _ in mentions for tok in span}
    judged = [(span, redirect(span, sign, matched)) for span, sign in mentions]
    # A sign word judges its neighbours unless it is a mention itself; everyday inputs such as
    # "messy" stay available as judges ("her handwriting is messy").
    covered = {t.i for span, sign in judged if sign and sign.kind != SENSORY for t in span}
    findings: list[Finding] = []
    conditions: list[str] = []
    for span, sign in judged:
        if sign is None or not is_concern(span, sign, covered):
            continue
        if sign.area == "condition":
            conditions.append(sign.label)
        else:
            findings.append(Finding(sign.area, sign.label))  # type: ignore[arg-type]
    return Assessment(unique_findings(findings), tuple(dict.fromkeys(conditions)))
