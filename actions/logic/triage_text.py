"""Message clean-up before parsing: spelling variants, missing apostrophes and small typos.

Parents type fast on phones, so words are mapped onto the catalogue's own words first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from actions.logic.triage_signs import SIGNS
from actions.logic.triage_words import BAD, GOOD, inflections

if TYPE_CHECKING:
    from spacy.vocab import Vocab

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), repl)
    for pattern, repl in (
        (r"[‘’`´]", "'"),
        (r"\btummy\s*-?\s*time\b", "tummy time"),
        (r"\bfavour", "favor"),
        (r"\bbehaviour", "behavior"),
        (r"\bcolour", "color"),
        (r"\bnappy\b", "diaper"),
        (r"\bnappies\b", "diapers"),
        (r"\bpractis", "practic"),
        (r"\btippytoes\b", "tippy toes"),
        (r"\bballance\b", "balance"),
        (r"\b(?:scisors|sissors|scissers|sizzors)\b", "scissors"),
        (r"\b(crawl|walk|roll|sitt|stand|talk)in'?(?=\s|$|[,.!?])", r"\1ing"),
        (r"\balot\b", "a lot"),
        # "no probs with walking": texting shorthand; "probs" alone may mean "probably"
        (r"\b(no|any|some)\s+probs?\b", r"\1 problems"),
        (r"\bprobs(?=\s+with\b)", "problems"),
        (r"\bw/o\b", "without"),
        (r"\bw/(?=\s)", "with"),
        (r"\b(?:b/c|bc|cuz|coz)\b", "because"),
        (r"\b(can|won|don|doesn|isn|didn|hasn|haven|wasn|aren|couldn|wouldn|shouldn)t\b", r"\1't"),
        # "can't stand the bath" means hates it, unlike "can't stand up"
        (
            r"\b(?:can't|cannot|can not)\s+stand\s+(?=(?:it|the|a|an|any|being|having|getting|"
            r"wearing|loud|noises?|sounds?|tags?|textures?|his|her|their|when|that|baths?|socks|"
            r"clothes|messy|touch|hugs|people)\b)",
            "hates ",
        ),
    )
)
_KEYWORDS = frozenset(
    word
    for sign in SIGNS
    for pattern in sign.patterns
    for item in pattern.split()
    for alt in item.rstrip("?").split("|")
    for word in (inflections(alt[1:]) if alt.startswith("~") else {alt})
    if len(word) >= 5 and word.isalpha()
) | frozenset(w for w in BAD | GOOD if len(w) >= 5 and w.isalpha())


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit ("crawlign" vs "crawling")."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _fix_typo(word: str, vocab: Vocab) -> str:
    """Nearest sign keyword for an unknown word ("crawlling"); known words stay as they are."""
    lower = word.lower()
    if len(lower) < 5 or lower in _KEYWORDS or vocab.vectors.n_keys == 0:
        return word
    known = vocab.has_vector(lower)  # a real word, or a typo common enough to have a vector
    if known and len(lower) < 10:
        return word  # short real words sit too close to each other ("teaching", "reaching")
    limit = 1 if known or len(lower) < 8 else 2
    best = min(
        (k for k in _KEYWORDS if abs(len(k) - len(lower)) <= limit),
        key=lambda k: (_distance(lower, k), k[:2] != lower[:2], k),
        default=None,
    )
    if best is not None and _distance(lower, best) <= limit:
        return best
    return word


def normalize(text: str, vocab: Vocab) -> str:
    """Spelling variants, missing apostrophes and small typos mapped to the lexicon's words."""
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return re.sub(r"[A-Za-z]+", lambda m: _fix_typo(m.group(0), vocab), text)
