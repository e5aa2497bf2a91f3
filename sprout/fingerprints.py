"""Token fingerprints remembered by content while a model trains.

Rasa's training cache fingerprints the whole training data after every component
that changes it, and a message's fingerprint includes each of its tokens': an MD5
of the JSON of an MD5 per field, computed again for every token after every
featurizer. That was about a tenth of a full training.

A token's fingerprint depends only on its text, offsets, lemma and data. Here it is
computed by Rasa's own code the first time a combination is seen and looked up
after that, so every fingerprint, and every cache key built from it, is exactly
Rasa's. Tokens whose data holds anything but text, whole numbers, booleans or None
(whose string form could differ between equal values) always go to Rasa's code.
"""

from __future__ import annotations

from typing import Any

from rasa.nlu.tokenizers.tokenizer import Token

_original_fingerprint = Token.fingerprint
_known: dict[tuple[Any, ...], str] = {}
_PLAIN = (str, int, bool, type(None))
# A training set's distinct tokens fit many times over; a long-running server that
# fingerprinted messages would start again rather than grow without bound.
MAX_REMEMBERED = 500_000


def content_key(token: Token) -> tuple[Any, ...] | None:
    """Everything the fingerprint reads, with types, or None when it cannot be a key."""
    fields = [token.text, token.start, token.end, token.lemma, *token.data.keys()]
    fields += token.data.values()
    if not all(type(value) in _PLAIN for value in fields):
        return None
    return (*((type(value), value) for value in fields), len(token.data))


def token_fingerprint(self: Token) -> str:
    """Rasa's fingerprint for this token, computed once per distinct content."""
    key = content_key(self)
    if key is None:
        return _original_fingerprint(self)
    known = _known.get(key)
    if known is None:
        if len(_known) >= MAX_REMEMBERED:
            _known.clear()
        known = _known[key] = _original_fingerprint(self)
    return known


def apply() -> None:
    Token.fingerprint = token_fingerprint  # type: ignore[method-assign]


def remove() -> None:
    Token.fingerprint = _original_fingerprint  # type: ignore[method-assign]
    _known.clear()
