"""Vector similarity as a fallback for concerns the catalogue's patterns do not cover.

"She can't go up the staircase" names no pattern word, but "staircase" sits near the
stairs sign's words in the model's vectors. Only words a difficulty is said about are
compared ("can't ...", "struggles with ..."), because the vectors are coarse: the shipped
model shares one vector between many unrelated common words ("time", "kind", "run").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from actions.logic.triage_judge import is_negated
from actions.logic.triage_mentions import about_others, done_by_someone_else
from actions.logic.triage_signs import SIGNS, Sign
from actions.logic.triage_words import BAD, GOOD, word_set

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

# Below this the coarse vectors pair unrelated words too often ("bus" and "cup").
SIMILARITY_THRESHOLD = 0.85
# The best sign must beat the best sign of another area by this much, or it is a toss-up.
SIMILARITY_MARGIN = 0.10

_SHARED = 0.999  # cosine at which two words share one vector row

_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})
# Words about the family, time and talk itself: never what a difficulty is about.
_GENERIC = word_set(
    "~child ~kid kiddo ~baby ~son ~daughter ~boy ~girl ~toddler ~twin ~grandson ~granddaughter",
    "~month ~year ~week ~day ~hour ~minute ~time ~thing stuff ~lot ~bit ~kind ~sort ~way",
    "~therapy ~therapist ~doctor ~teacher ~school ~nursery ~daycare ~appointment ~session",
    "~mom ~mum ~dad ~parent ~family ~friend ~people ~someone ~anything ~everything",
    "~try ~manage ~seem ~look ~want ~need ~know ~think ~tell ~say ~ask ~start ~keep ~let",
    "~make ~give ~put ~use ~find ~feel ~mean ~happen ~worry ~help ~like ~love old little",
    "big bigger small smaller tiny huge",
    "~get ~hold ~do ~go ~take ~be ~pick ~turn ~reach ~drink ~come ~act ~add",
    "yo mo yr yrs ~age ~own physical occupational physio ~physiotherapy pt ot",
)
# Words that say "this is hard" about what they govern.
_FRAMES = BAD - word_set("only few late later ~help ~work ~practice ~mind")


class _Anchors(NamedTuple):
    """Every sign's words as unit vectors, with the sign and area each row belongs to."""

    vocab: Vocab
    matrix: np.ndarray
    owners: list[int]
    words: np.ndarray
    areas: np.ndarray


_ANCHORS: dict[int, _Anchors] = {}


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _anchor_words(sign: Sign, stop: set[str]) -> set[str]:
    """The label's words and every required word of the sign's patterns, base forms."""
    words = set(sign.label.lower().replace("-", " ").split())
    for pattern in sign.patterns:
        for item in pattern.split():
            if item.endswith("?") or item in ("POSS", "#num"):
                continue
            words |= {alt.lstrip("~") for alt in item.split("|")}
    # judging words ("good walker", "hands get tired") say how it goes, not what it is about
    return {
        w for w in words if w.isalpha() and len(w) > 2 and w not in stop | _GENERIC | BAD | GOOD
    }


def _anchors(nlp: Language) -> _Anchors:
    """Built once per vocab; conditions are left out, as they are named, never guessed."""
    cached = _ANCHORS.get(id(nlp.vocab))
    if cached is not None and cached.vocab is nlp.vocab:
        return cached
    stop = set(nlp.Defaults.stop_words)
    rows: list[np.ndarray] = []
    owners: list[int] = []
    words: list[str] = []
    for index, sign in enumerate(SIGNS):
        if sign.area == "condition":
            continue
        for word in sorted(_anchor_words(sign, stop)):
            if nlp.vocab.has_vector(word):
                rows.append(_unit(nlp.vocab.get_vector(word)))
                owners.append(index)
                words.append(word)
    matrix = np.vstack(rows) if rows else np.zeros((0, nlp.vocab.vectors_length))
    areas = np.array([SIGNS[owner].area for owner in owners])
    anchors = _Anchors(nlp.vocab, matrix, owners, np.array(words), areas)
    _ANCHORS[id(nlp.vocab)] = anchors
    return anchors


def _in_difficulty(tok: Token) -> bool:
    """Whether a difficulty is said about this word: negated or beside a "hard" word."""
    node = tok
    for _ in range(3):
        if is_negated(node) or node.lower_ in _FRAMES:
            return True
        if any(c.lower_ in _FRAMES for c in node.children if c.i != tok.i):
            return True
        if node.head.i == node.i or node.dep_ in ("ccomp", "advcl", "relcl", "parataxis"):
            return False
        node = node.head
    return False


def _candidates(doc: Doc, stop: set[str]) -> list[Token]:
    return [
        tok
        for tok in doc
        if tok.pos_ in _CONTENT_POS
        and tok.has_vector
        and tok.lower_ not in stop
        and tok.lower_ not in _GENERIC
        and tok.lemma_.lower() not in _GENERIC
        and tok.lower_ not in BAD | GOOD
        and len(tok.lower_) > 2
        and _in_difficulty(tok)
        and not about_others(tok)
    ]


def score_tokens(doc: Doc, nlp: Language) -> list[tuple[float, float, Token, Sign]]:
    """Each candidate word's best sign: (similarity, margin over other areas, word, sign)."""
    anchors = _anchors(nlp)
    if not anchors.owners:
        return []
    scored = []
    for tok in _candidates(doc, set(nlp.Defaults.stop_words)):
        sims = anchors.matrix @ _unit(tok.vector)
        # A shared vector between two different words is the model's pruning, not meaning.
        same = (anchors.words == tok.lower_) | (anchors.words == tok.lemma_.lower())
        sims = np.where((sims > _SHARED) & ~same, 0.0, sims)
        best = int(np.argmax(sims))
        sign = SIGNS[anchors.owners[best]]
        others = sims[anchors.areas != sign.area]
        rival = float(others.max()) if len(others) else 0.0
        scored.append((float(sims[best]), float(sims[best]) - rival, tok, sign))
    # the thing a difficulty is about ("trousers") before the verb ("pull ... up")
    return sorted(scored, key=lambda item: (-round(item[0], 2), item[2].pos_ != "NOUN", item[2].i))


def similar_mentions(
    doc: Doc,
    nlp: Language,
    threshold: float = SIMILARITY_THRESHOLD,
    margin: float = SIMILARITY_MARGIN,
) -> list[tuple[Span, Sign]]:
    """The single closest sign above the threshold, as a one-word mention; else nothing."""
    if nlp.vocab.vectors.n_keys == 0:
        return []
    for score, lead, tok, sign in score_tokens(doc, nlp):
        if score < threshold:
            break
        span = doc[tok.i : tok.i + 1]
        # as for the patterns: "I can't balance everything" is about the parent
        if lead >= margin and not done_by_someone_else(span, sign):
            return [(span, sign)]
    return []
