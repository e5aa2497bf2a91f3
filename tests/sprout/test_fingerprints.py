"""Remembered token fingerprints and faster sparse-feature text are exactly Rasa's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data import util as training_data_util
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from sprout import fingerprints

VALUES = st.one_of(
    st.text(max_size=8),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, width=16),
    st.lists(st.integers(0, 3), max_size=3),
)
TOKENS = st.builds(
    lambda text, start, lemma, data: Token(text, start, start + len(text), data, lemma),
    st.text(min_size=1, max_size=10),
    st.integers(0, 50),
    st.one_of(st.none(), st.text(max_size=6)),
    st.dictionaries(st.sampled_from(["pos", "shape", "prefix", "n"]), VALUES, max_size=3),
)


def rasas(token: Token) -> str:
    return fingerprints._original_fingerprint(token)


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(TOKENS, min_size=1, max_size=6))
def test_each_fingerprint_is_rasas(tokens: list[Token]) -> None:
    fingerprints.apply()
    try:
        for token in tokens + tokens:  # the second round is answered from memory
            assert token.fingerprint() == rasas(token)
    finally:
        fingerprints.remove()


def test_equal_values_of_different_types_are_told_apart() -> None:
    """1, True and 1.0 are equal keys to Python but print differently, so Rasa's differ."""
    variants: list[Any] = [1, True, 1.0, 0, False, "1", None, "None"]
    fingerprints.apply()
    try:
        for _ in range(2):  # the second round is answered from memory
            for value in variants:
                token = Token("walk", 0, 4, {"n": value})
                assert token.fingerprint() == rasas(token), repr(value)
    finally:
        fingerprints.remove()


def test_a_changed_token_gets_a_new_fingerprint() -> None:
    fingerprints.apply()
    try:
        token = Token("crawl", 3, 8, {"pos": ""})
        before = token.fingerprint()
        token.data["pos"] = "VERB"
        token.lemma = "crawl"
        assert token.fingerprint() != before
        assert token.fingerprint() == rasas(token)
    finally:
        fingerprints.remove()


def test_a_messages_fingerprint_is_unchanged() -> None:
    tokens = [Token(w, i * 6, i * 6 + len(w), {"pos": ""}) for i, w in enumerate(["my", "baby"])]
    message = Message(data={"text": "my baby", "text_tokens": tokens})
    stock = message.fingerprint()
    fingerprints.apply()
    try:
        again = Message(data={"text": "my baby", "text_tokens": tokens})
        assert again.fingerprint() == stock
    finally:
        fingerprints.remove()


def test_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprints, "MAX_REMEMBERED", 3)
    fingerprints.apply()
    try:
        for start in range(10):
            token = Token("roll", start, start + 4, {})
            assert token.fingerprint() == rasas(token)
            assert len(fingerprints._known) <= 3
    finally:
        fingerprints.remove()


VALUE_TYPES = st.sampled_from(["int64", "int32", "uint8", "bool", "float64", "float32"])


@st.composite
def sparse_matrices(draw: st.DrawFn) -> scipy.sparse.coo_matrix:
    """COO matrices of any value type, with extreme floats and repeated positions."""
    dtype = np.dtype(draw(VALUE_TYPES))
    rows, cols = draw(st.integers(1, 40)), draw(st.integers(1, 5000))
    count = draw(st.integers(0, 30))
    positions = st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1))
    cells = draw(st.lists(positions, min_size=count, max_size=count))
    values = draw(hnp.arrays(dtype, count, elements=hnp.from_dtype(dtype, allow_subnormal=True)))
    row = np.array([r for r, _ in cells], dtype=np.int32)
    col = np.array([c for _, c in cells], dtype=np.int32)
    return scipy.sparse.coo_matrix((values, (row, col)), shape=(rows, cols))


@settings(max_examples=400, deadline=None)
@given(matrix=sparse_matrices(), as_csr=st.booleans())
def test_sparse_features_print_as_rasas(matrix: scipy.sparse.coo_matrix, as_csr: bool) -> None:
    given_matrix = matrix.tocsr() if as_csr else matrix
    rasa_text = fingerprints._original_sparse_to_string(given_matrix)
    assert fingerprints.sparse_matrix_to_string(given_matrix) == rasa_text


def test_sparse_features_keep_their_fingerprints() -> None:
    counts = scipy.sparse.coo_matrix(np.array([[0, 2, 0], [1, 0, 7]], dtype=np.int64))
    weights = scipy.sparse.coo_matrix(np.array([[0.1, 0, 1e-7], [0, 3.5, 1e16]]))

    def fingerprinted() -> list[str]:
        matrices = (counts, weights)
        return [Features(m, "sequence", "text", "CountVectors").fingerprint() for m in matrices]

    expected = fingerprinted()
    fingerprints.apply()
    try:
        assert fingerprinted() == expected
        assert training_data_util.sparse_matrix_to_string is fingerprints.sparse_matrix_to_string
    finally:
        fingerprints.remove()
    assert training_data_util.sparse_matrix_to_string is fingerprints._original_sparse_to_string
