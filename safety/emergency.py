"""High-recall emergency detection that does not depend on the intent classifier.

A parent writing "he isnt breathin" must be told to call for help even if the
trained model is unsure. Patterns cover common misspellings; a few guards keep
ordinary questions ("my baby fell asleep", "how do I know she's breathing ok
during tummy time?") from triggering it.
"""

from __future__ import annotations

import re

_BREATH = r"(?:breath(?:e|es|ing|in|ng)?|breating|brething|breahting)"
_NOT = (
    r"(?:not|isn'?t|isnt|is not|wasn'?t|stopped|stoped|stop|can'?t|cant|cannot|can not|won'?t|wont|"
    r"struggling to|trouble|hardly|barely)"
)

_EMERGENCY_PATTERNS = [
    rf"\b{_NOT}\s+(?:\w+\s+)?{_BREATH}\b",
    rf"\bno\s+{_BREATH}\b",
    r"\bgasping\b",
    r"\b(?:turn(?:ing|ed)?|gone|going|went|is|looks?)\s+(?:blue|gr[ae]y|purple)\b(?!-)",
    r"\b(?:lips?|face|skin)\s+(?:is\s+|are\s+|look\s+|looks\s+)?(?:blue|gr[ae]y|purple)\b",
    r"\b(?:seizure|seizures|siezure|seisure|seazure|seizing|siezing|seizuring|convuls\w*|fitting)\b",
    r"\bhaving (?:a|another) fit\b",
    r"\b(?:unresponsive|unconscious|unconcious|unconsious|passed out|fainted|not responding|"
    r"isn'?t responding|won'?t respond)\b",
    r"\b(?:won'?t|wont|will not|can'?t|cant|cannot|not)\s+(?:\w+\s+)?wake"
    r"(?:\s+(?:him|her|them))?(?:\s+up)?\b",
    r"\b(?:chok(?:e|es|ed|ing)|chocking)\b",
    r"\bswallow(?:ed|ing)?\s+(?:a\s+|an\s+|some\s+)?(?:\w+\s+)?(?:batter(?:y|ies)|magnets?|poison|bleach|pills?|medicine|detergent|pods?)\b",
    r"\bbleeding\s+(?:a lot|heavily|badly|won'?t stop|that won'?t stop|everywhere)\b",
    r"\b(?:call(?:ing)?\s+(?:an?\s+)?ambulance|call(?:ed)?\s+911|emergency room)\b",
    r"\blimp\s+and\b",
]

# "hit/bumped his head" is an emergency together with a red flag.
_HEAD_INJURY = re.compile(
    r"\b(?:hit|bump(?:ed)?|bang(?:ed)?|fell\s+on|landed\s+on)\s+(?:\w+\s+)?head\b"
)
_RED_FLAGS = re.compile(
    r"\b(?:vomit\w*|throw(?:ing|n)? up|threw up|sick|drowsy|sleepy|not acting right|"
    r"acting strange\w*|confused|bleeding|unresponsive|won'?t wake|floppy|limp)\b"
)

# Reassurance, history and everyday phrasing that must not raise the alarm.
_NEAR_MISS_PATTERNS = [
    rf"(?<!not )(?<!n't )(?<!nt )\b{_BREATH}\s+(?:ok|okay|fine|normally|well)\b",
    r"\bhow (?:do|can) i (?:know|tell|check)\b",
    r"\b(?:no|never|not)\s+(?:had\s+)?(?:any\s+)?(?:seizures?|choking)\b",
    r"\bhad (?:a |one |some )?(?:seizures?|fits?)\s+(?:\w+\s+){0,3}(?:ago|last|before|when|as a)\b",
    r"\b(?:history of|diagnosed with)\s+(?:\w+\s+)?(?:seizures?|epilepsy)\b",
    r"\bbreath(?:ing)?\s+exercises?\b",
    r"\bchoking hazards?\b",
    # Feeding difficulties are an OT matter, not an emergency happening now.
    r"\b(?:chokes?|gags?)\s+(?:\w+\s+)?on\s+(?:\w+\s+)?(?:food|textures?|lumps?|lumpy|purees?|solids?|milk|bottles?|feeds?)\b",
]

_EMERGENCY = [re.compile(p) for p in _EMERGENCY_PATTERNS]
_NEAR_MISS = [re.compile(p) for p in _NEAR_MISS_PATTERNS]


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def looks_like_emergency(text: str) -> bool:
    """True when the message describes what sounds like a medical emergency now."""
    if not text:
        return False
    lowered = _normalise(text)
    if any(p.search(lowered) for p in _NEAR_MISS):
        return False
    if any(p.search(lowered) for p in _EMERGENCY):
        return True
    return bool(_HEAD_INJURY.search(lowered) and _RED_FLAGS.search(lowered))
