"""Remembered token fingerprints are exactly Rasa's, for any token content."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.nlu.tokenizers.tokenizer import Token
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
