"""Finding sign mentions in a parsed message with a spaCy Matcher built from the catalogue.

Sign words that mean something else in context ("runs a fever", "money is tight") are vetoed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actions.logic.triage_signs import ABILITY, LABELS, SIGNS, Sign
from actions.logic.triage_words import inflections, word_set

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

# What "POSS" in a pattern stands for.
_POSS = ["his", "her", "their", "its", "the", "my", "our", "your", "this", "that", "a", "one"]
_HAND_WORDS = word_set("~hand ~finger ~grip ~grasp ~wrist pincer ~thumb")

_MATCHERS: dict[int, tuple[Vocab, Matcher]] = {}


def _token_spec(item: str) -> dict[str, object]:
    optional = item.endswith("?") and len(item) > 1
    body = item[:-1] if optional else item
    spec: dict[str, object]
    if body == "#num":
        spec = {"LIKE_NUM": True}
    elif body == "POSS":
        spec = {"LOWER": {"IN": _POSS}}
    else:
        words = set().union(*(inflections(a[1:]) if a[0] == "~" else {a} for a in body.split("|")))
        spec = {"LOWER": {"IN": sorted(words)}}
    if optional:
        spec["OP"] = "?"
    return spec


def _matcher(nlp: Language) -> Matcher:
    """One Matcher per vocab, built on first use."""
    from spacy.matcher import Matcher

    cached = _MATCHERS.get(id(nlp.vocab))
    if cached is not None and cached[0] is nlp.vocab:
        return cached[1]
    matcher = Matcher(nlp.vocab)
    for index, sign in enumerate(SIGNS):
        patterns = [[_token_spec(item) for item in p.split()] for p in sign.patterns]
        matcher.add(f"sprout_sign_{index}", patterns)
    _MATCHERS[id(nlp.vocab)] = (nlp.vocab, matcher)
    return matcher


def is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def subject_of(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)


_OTHER_DOERS = word_set(
    "i we you me us pt ot physio therapy therapist ~leg ~arm head ~hand foot feet"
)  # subjects that are not the child doing the skill
_STAND_RUN = word_set("~stand ~run")


def _parent_subject(verb: Token) -> bool:
    subject = subject_of(verb)
    return subject is not None and subject.lower_ in ("i", "we")


_TIGHT_MONEY = word_set("money budget time ~thing ~finance schedule space")
_BODY_PARTS = word_set("~hand ~finger ~wrist ~arm ~leg ~knee ~ankle head ~back foot feet ~neck")


def done_by_someone_else(span: Span, sign: Sign) -> bool:
    """A skill word whose doer is not the child: "I walk him to daycare", "walk me through it",
    "one leg sits higher", "I'm struggling to balance work and feeds"."""
    tok = span.root
    if sign.kind != ABILITY or len(span) != 1 or not is_verb(tok):
        return False
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    if nxt in ("me", "us"):
        return True
    subject = subject_of(tok)
    if subject is None:
        return tok.dep_ == "xcomp" and _parent_subject(tok.head)
    return subject.lower_ in _OTHER_DOERS


# Sharing, lending and turn-taking are about getting on with others, not a skill.
_SOCIAL = word_set("~share ~lend ~swap ~trade ~snatch ~tidy ~apologise ~apologize ~obey")
_OTHER_PEOPLE = word_set(
    "~kid ~child children ~brother ~sister ~sibling ~cousin ~friend ~classmate ~twin",
    "anyone anybody someone somebody everyone everybody nobody others other people",
)
_THEIR_OWN = _BODY_PARTS | frozenset({"him", "her", "me", "them", "us", "himself", "herself"})
_CLAUSE_EDGES = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj"})


def _takes_from_others(tok: Token) -> bool:
    """ "grabs toys off other kids", "takes things from his sister"."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("off", "from")
        and any(g.lower_ in _OTHER_PEOPLE for g in c.children)
        for c in tok.children
    )


def about_others(tok: Token) -> bool:
    """A word about sharing, turn-taking or other people's things: behaviour, not a PT/OT sign.

    "refuses to share her toys", "won't take turns on the slide", "grabs toys off other
    kids", "won't let anyone touch his trains" mention toys and play equipment, but what is
    hard is getting on with others, which is the pediatrician's or a teacher's matter.
    """
    node = tok
    for _ in range(4):
        if node.lower_ in _SOCIAL or node.lemma_ in _SOCIAL or _takes_from_others(node):
            return True
        if node.lemma_ == "take" and any(c.lower_ in ("turn", "turns") for c in node.children):
            return True
        if node.lemma_ == "touch":
            doer, thing = (
                subject_of(node),
                next((c for c in node.children if c.dep_ == "dobj"), None),
            )
            if doer is not None and doer.lower_ in _OTHER_PEOPLE:
                return thing is not None and thing.lower_ not in _THEIR_OWN
        if node.head.i == node.i or node.dep_ in _CLAUSE_EDGES:
            return False
        node = node.head
    return False


def vetoed(span: Span, sign: Sign) -> bool:
    """Readings where a sign word means something else ("runs a fever", "sounds like")."""
    tok = span.root
    lower, label = tok.lower_, sign.label
    deps = {c.dep_ for c in tok.children}
    prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    subject = subject_of(tok)
    other_doer = subject is not None and subject.lower_ in _OTHER_DOERS
    if done_by_someone_else(span, sign) or about_others(tok):
        return True
    before = tok.doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in ("my", "our") and span[0].lower_ in _BODY_PARTS:
        return True  # "my hands hurt from carrying him": the parent's own body
    if (lower in _STAND_RUN or lower.startswith("skip")) and "dobj" in deps:
        return True  # "can't stand loud noises", "runs a fever", "skips her nap"
    if tok.pos_ in ("NOUN", "PROPN") and lower in ("roll", "rolls", "stand", "dress", "color"):
        return True
    if label == "rolling" and prev == "ball":
        return True  # "get the ball rolling"
    if lower in ("tight", "tighter"):
        before = tok.doc[max(tok.sent.start, tok.i - 4) : tok.i]
        return any(t.lower_ in _TIGHT_MONEY for t in before)  # "money is tight"
    if label == "drawing and coloring" and lower in ("colors", "drawing", "drawings"):
        return tok.pos_ != "VERB"
    if (label == "blocks and puzzles" and tok.pos_ == "VERB" and lower == "blocks") or (
        label == "loud noises" and lower in ("sound", "sounds") and tok.pos_ == "VERB"
    ):
        return True
    if label == "speech":
        closing = nxt in ("to", "with", "about", "through", "over", "soon", "later", "again")
        if closing and (subject is None or other_doer):
            return True  # "I want to talk to someone", "speak soon"
        if lower in ("word", "words") and prev == "other":
            return True
    if label == "taking a bottle" and prev in ("water", "drink", "drinks", "juice", "sports"):
        return True  # a child's water bottle, not a baby's bottle
    return label == "eating" and "prep" in deps and any(c.lower_ == "with" for c in tok.children)


def redirect(span: Span, sign: Sign, covered: set[int]) -> Sign | None:
    """ "Weak hands" is hand strength (OT), not general weakness; drop it if already covered."""
    if sign.label != "weakness":
        return sign
    tok = span.root
    copula = tok.dep_ in ("acomp", "oprd", "attr")
    target = tok.head if tok.dep_ == "amod" else subject_of(tok.head) if copula else None
    if target is not None and target.lower_ in _HAND_WORDS:
        return None if target.i in covered else LABELS["hand strength"]
    return sign


def find_mentions(doc: Doc, nlp: Language) -> list[tuple[Span, Sign]]:
    """Longest non-overlapping sign matches, in text order."""
    from spacy.tokens import Span

    raw = []
    for match_id, start, end in _matcher(nlp)(doc):
        index = int(nlp.vocab.strings[match_id].rsplit("_", 1)[1])
        span = Span(doc, start, end)
        if not vetoed(span, SIGNS[index]):
            raw.append((start, end, index))
    raw.sort(key=lambda m: (-(m[1] - m[0]), m[2], m[0]))
    taken: set[int] = set()
    kept: list[tuple[int, int, int]] = []
    for start, end, index in raw:
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, index))
            taken.update(range(start, end))
    return [(Span(doc, s, e), SIGNS[i]) for s, e, i in sorted(kept)]
