"""Judging each mention in its sentence's dependency parse: a real concern, or not.

Parents rarely list symptoms; they tell stories with contrast and negation ("he crawls fine,
it's his grasp I worry about"). Negating an ability ("isn't crawling") is the sign itself,
while negating a difficulty ("no trouble sitting", "not worried about walking") clears it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from actions.logic.triage_mentions import is_verb, subject_of
from actions.logic.triage_signs import ABILITY, SENSORY, Sign
from actions.logic.triage_words import BAD, GOOD, word_set

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Negation on these verbs carries down to the mention ("doesn't seem to walk").
_TRANSPARENT = word_set(
    "~be ~do ~have ~get ~seem ~look ~start ~begin ~try ~want ~learn ~manage able ~bear ~think",
    "~believe ~can ~will ~go ~need ~use ~show yet ~let",
)
_NEG_WORDS = frozenset({"never", "no", "not", "n't", "nt", "hardly", "barely", "none", "nothing"})
_NEG_RAISERS = word_set("~think ~believe")
_CONTRAST = frozenset({"but", "yet", "although", "though", "whereas", "however"})
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "csubj", "acl"})
_EVAL_DEPS = frozenset(
    {"advmod", "acomp", "attr", "amod", "oprd", "xcomp", "ccomp", "npadvmod", "dobj", "relcl",
     "nsubj", "nsubjpass"}
)  # fmt: skip
_NOT_THE_CHILD = frozenset(
    {"i", "me", "you", "we", "us", "it", "this", "that", "what", "which", "there"}
)


def _has_negation(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in _NEG_WORDS for c in tok.children)


def is_negated(tok: Token) -> bool:
    """Negation on the token itself, through "without", or on its copula ("is not good")
    or its "have" ("doesn't have any trouble")."""
    if _has_negation(tok):
        return True
    if tok.head.lower_ == "without" and tok.head.i != tok.i:
        return True
    if tok.dep_ == "dobj" and tok.head.lemma_ == "have":
        return _has_negation(tok.head)
    return tok.dep_ in ("acomp", "attr", "oprd") and _has_negation(tok.head)


def _is_bad(tok: Token) -> bool:
    return tok.lower_ in BAD and not (tok.lower_ == "help" and tok.pos_ not in ("NOUN", "VERB"))


def _is_good(tok: Token) -> bool:
    lower = tok.lower_
    if lower not in GOOD:
        return False
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
    if (lower == "fine" and nxt == "motor") or (lower == "well" and prev == "as"):
        return False
    # "like a banana" and "my love" say nothing, unlike "she likes it" or "lovely"
    return not (lower.startswith(("lik", "lov")) and lower != "lovely" and tok.pos_ != "VERB")


def _verdict(tok: Token, negated: bool) -> bool | None:
    """True for a concern, False for "it's fine", None when the word says neither."""
    if _is_bad(tok):
        return not negated
    if _is_good(tok):
        return negated
    return None


def _children(tok: Token) -> Iterator[Token]:
    """Modifiers that can judge a mention, looking through prepositions ("with difficulty").

    A run-on sentence is often parsed as one clause ("no issues with eating, she isn't
    rolling"): of two subjects only the nearer belongs to the word, and nothing set off by
    a comma before that subject does.
    """
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    nearest = min(subjects, key=lambda c: abs(c.i - tok.i), default=None)
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass") and nearest is not None and child.i != nearest.i:
            continue
        if nearest is not None and child.i < nearest.i and _set_off(child, nearest):
            continue
        if child.dep_ in _EVAL_DEPS:
            yield child
        elif child.dep_ == "prep":
            yield from (c for c in child.children if c.dep_ in ("pobj", "pcomp"))


def _set_off(child: Token, subject: Token) -> bool:
    """Punctuation between a modifier's phrase and the subject after it: another thought."""
    doc = child.doc
    return any(doc[k].is_punct for k in range(child.right_edge.i + 1, subject.i))


def _contrasted(tok: Token) -> bool:
    """A conjunct after "but"/"yet", or a clause opened by "although": a new thought."""
    head = tok.head
    between = [c for c in head.children if c.dep_ in ("cc", "punct") and head.i < c.i < tok.i]
    opening = [c for c in tok.children if c.dep_ in ("cc", "mark", "advmod") and c.i < tok.i]
    return any(c.lower_ in _CONTRAST for c in (*between, *opening))


def _shares_head(verb: Token) -> bool:
    """ "can't sit or crawl" shares the negation; "won't sleep and is picky" does not."""
    finite = verb.tag_ in ("VBZ", "VBD", "VBP", "MD")
    return not finite and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in verb.children)


def _parent_speaking(tok: Token) -> bool:
    """ "I'm scared to bathe him" is the parent's feeling, not the child's distress."""
    holder = tok.head if tok.dep_ in ("acomp", "oprd") else tok
    subject = subject_of(holder)
    return subject is not None and subject.lower_ in ("i", "we")


def _refusal(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("wo", "will", "would") for c in verb.children)


def _anchor(tok: Token) -> Token | None:
    """The verb a mention hangs on ("hold" for "crayon"), used for negation and defaults."""
    node = tok
    for _ in range(5):
        if is_verb(node):
            return node
        if node.head.i == node.i or node.dep_ in _CLAUSE_DEPS:
            return None
        node = node.head
    return None


def _affirmed(verb: Token | None, own: set[int]) -> bool:
    """A plain statement about the child ("she walks", "he has a pincer grasp")."""
    node = verb
    for _ in range(5):
        if node is None:
            return False
        subject = subject_of(node)
        if subject is not None:
            return subject.lower_ not in _NOT_THE_CHILD and subject.i not in own
        # "he's talking, walking, running": a list item parsed as a bare clause
        bare = (
            node.dep_ == "advcl"
            and not any(c.dep_ == "mark" for c in node.children)
            and not is_negated(node.head)
        )
        if node.dep_ not in ("xcomp", "acomp", "conj", "aux") and not bare:
            break
        node = node.head  # a conjunct shares its subject: "she isn't rolling but crawling"
    # no subject found (a list of facts: "he's 3, runs everywhere"): a finite verb still states
    return verb is not None and verb.tag_ in ("VBZ", "VBD")


def _distress_nearby(span: Span) -> bool:
    """Fallback for odd parses: a distress word a few words before or after, same clause."""
    sent = span.sent
    for step, start in ((-1, span.start - 1), (1, span.end)):
        i = start
        while sent.start <= i < sent.end and abs(i - (span.start if step < 0 else span.end)) < 4:
            tok = span.doc[i]
            if tok.is_punct or tok.lower_ in _CONTRAST or tok.lower_ == "and":
                break
            if _is_bad(tok) and not is_negated(tok) and not _parent_speaking(tok):
                return True
            i += step
    return False


def is_concern(span: Span, sign: Sign, covered: set[int]) -> bool:
    """Judge one mention in its sentence: a real concern, or said to be fine / negated away."""
    problem = sign.kind != ABILITY  # negation clears problems, but is the sign for abilities
    own = {tok.i for tok in span}
    anchor = _anchor(span.root)
    anchor_i = -1 if anchor is None else anchor.i
    node, via_conj, close = span.root, False, True
    visited: set[int] = set(own)
    # "doesn't have a great pencil grip", "isn't a good walker": the linking verb's negation
    # reaches the mention's own modifiers
    linked = (
        anchor is not None
        and anchor.i not in own
        and span.root.head.i == anchor.i
        and (anchor.lower_ in _TRANSPARENT or anchor.lemma_ in _TRANSPARENT)
        and is_negated(anchor)
    )
    while True:
        negated = (linked or any(map(is_negated, span))) if node.i in own else is_negated(node)
        if via_conj:
            if negated and close:
                return not problem
        else:
            verdict = None if node.i in own else _verdict(node, negated)
            if verdict is not None and not (sign.kind == SENSORY and _parent_speaking(node)):
                return verdict  # a parent's own worry counts, but not for everyday inputs
            # past a clause boundary only the words on the path count, not their modifiers
            holders = list(span) if node.i in own else [node] if close else []
            for child in (c for holder in holders for c in _children(holder)):
                if child.i in covered or child.i in visited:
                    continue
                if problem and node.i in own and _is_good(child):
                    continue  # "easily distracted" is still distracted
                if (verdict := _verdict(child, negated or is_negated(child))) is not None:
                    return verdict
            lexical = node.lower_ in _TRANSPARENT or node.lemma_ in _TRANSPARENT
            refused = negated and (node.i == anchor_i or lexical) and _refusal(node)
            if sign.kind == SENSORY and refused:
                return True  # "won't wear socks", "won't let anyone touch her feet"
            # "the injury ... his arm doesn't move": a difficulty as the subject of another
            # negated action is not itself denied
            denied_subject = (
                problem and not lexical and node.i not in own and span.root.head.i == node.i
                and span.root.dep_ in ("nsubj", "nsubjpass")
            )  # fmt: skip
            if (
                negated
                and not denied_subject
                and (node.i in own or (close and (node.i == anchor_i or lexical)))
            ):
                return not problem
        visited.add(node.i)
        if problem and node.lower_ == "used" and any(c.dep_ == "xcomp" for c in node.children):
            return False  # "she used to have torticollis": in the past
        if node.head.i == node.i or node.dep_ == "parataxis":
            break
        if node.dep_ == "conj" and _contrasted(node):
            break  # "she isn't rolling but crawling": the conjunct after "but" stands alone
        if node.dep_ == "conj" and is_verb(node):
            if not _shares_head(node):
                break
            via_conj = True
        else:
            via_conj = False
            if node.dep_ in _CLAUSE_DEPS:
                if _contrasted(node):
                    break
                if not (node.dep_ == "ccomp" and node.head.lower_ in _NEG_RAISERS):
                    close = False
        node = node.head
    if sign.kind == SENSORY:
        return _distress_nearby(span)
    if problem or span.sent.text.rstrip().endswith("?"):
        return True
    return not _affirmed(anchor, own)
