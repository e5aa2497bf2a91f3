"""Training-cache fingerprints computed faster, each exactly Rasa's.

Rasa's training cache fingerprints the whole training data after every component
that changes it, and a message's fingerprint includes each of its tokens': an MD5
of the JSON of an MD5 per field, computed again for every token after every
featurizer. That was about a tenth of a full training.

A token's fingerprint depends only on its text, offsets, lemma and data. Here it is
computed by Rasa's own code the first time a combination is seen and looked up
after that, so every fingerprint, and every cache key built from it, is exactly
Rasa's. Tokens whose data holds anything but text, whole numbers, booleans or None
(whose string form could differ between equal values) always go to Rasa's code.

A sparse feature's fingerprint hashes a line of text per stored value, which Rasa
formats from NumPy scalars one by one: about half of all fingerprinting. The same
lines are formatted here from plain Python numbers, which print the same for whole
numbers, booleans and 64-bit floats; other value types go to Rasa's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data import util as training_data_util

_original_fingerprint = Token.fingerprint
_original_sparse_to_string = training_data_util.sparse_matrix_to_string
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


def prints_like_python(dtype: np.dtype) -> bool:
    """Whether this dtype's scalars print exactly as the Python numbers they convert to."""
    return dtype.kind in "biu" or dtype == np.float64


def sparse_matrix_to_string(matrix: scipy.sparse.spmatrix) -> str:
    """Rasa's text of a sparse matrix (one "  (row, col)\tvalue" line per stored value)."""
    coo = matrix.tocoo()
    if not prints_like_python(coo.data.dtype):
        return _original_sparse_to_string(coo)
    lines = zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    return "\n".join([f"  ({row}, {col})\t{value}" for row, col, value in lines])


def apply() -> None:
    Token.fingerprint = token_fingerprint  # type: ignore[method-assign]
    training_data_util.sparse_matrix_to_string = sparse_matrix_to_string


def remove() -> None:
    Token.fingerprint = _original_fingerprint  # type: ignore[method-assign]
    training_data_util.sparse_matrix_to_string = _original_sparse_to_string
    _known.clear()
