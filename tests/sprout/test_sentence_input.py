"""Leaving the tokens' features out of the classifiers' input changes no answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.core.agent import Agent
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from sprout import sentence_input
from sprout.faq_selector import FaqResponseSelector
from sprout.sentence_input import IntentClassifier, tokens_unused, without_token_features
from tests.support.model_answers import TEXTS, answers, components


def features(kind: str, attribute: str, sparse: bool, rows: int = 3) -> Features:
    values = np.arange(rows * 4, dtype=np.float32).reshape(rows, 4) + 1
    matrix = scipy.sparse.coo_matrix(values) if sparse else values
    return Features(matrix, kind, attribute, "Featurizer")


def test_only_the_texts_token_features_become_one_blank_token() -> None:
    kept = [
        features(FEATURE_TYPE_SENTENCE, TEXT, sparse=True, rows=1),
        features(FEATURE_TYPE_SENTENCE, TEXT, sparse=False, rows=1),
        features(FEATURE_TYPE_SEQUENCE, "response", sparse=True),
    ]
    tokens = [
        features(FEATURE_TYPE_SEQUENCE, TEXT, sparse=True),
        features(FEATURE_TYPE_SEQUENCE, TEXT, sparse=False),
    ]
    message = Message(data={TEXT: "my baby isn't rolling", "intent": "concern"})
    message.features = kept + tokens

    lean = without_token_features(message)

    assert lean.data == message.data
    assert lean.features[:3] == kept
    for original, blank in zip(tokens, lean.features[3:], strict=True):
        assert blank.features.shape == (1, 4)
        assert blank.features.dtype == original.features.dtype
        assert blank.is_sparse() == original.is_sparse()
        assert (blank.type, blank.attribute, blank.origin) == (
            original.type,
            original.attribute,
            original.origin,
        )
    assert lean.features[3].features.nnz == 0
    assert not lean.features[4].features.any()
    assert message.features == kept + tokens  # the message itself is untouched


@pytest.mark.parametrize(
    ("config", "unused"),
    [
        ({"number_of_transformer_layers": 0, "entity_recognition": False}, True),
        ({"number_of_transformer_layers": 2, "entity_recognition": False}, False),
        ({"number_of_transformer_layers": 0, "entity_recognition": True}, False),
    ],
)
def test_tokens_are_left_out_only_when_no_layer_reads_them(
    config: dict[str, object], unused: bool
) -> None:
    assert tokens_unused(config) is unused


@pytest.fixture(scope="module")
def agent(trained_model: Path) -> Agent:
    return Agent.load(str(trained_model))


def test_the_pipeline_uses_both_lean_classifiers(agent: Agent) -> None:
    used = {type(component) for component in components(agent)}
    assert IntentClassifier in used
    assert FaqResponseSelector in used
    assert issubclass(IntentClassifier, DIETClassifier)


def test_the_trained_model_answers_the_same_with_the_tokens_features(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    blanked: list[Message] = []

    def counted(message: Message) -> Message:
        blanked.append(message)
        return without_token_features(message)

    monkeypatch.setattr(sentence_input, "without_token_features", counted)
    lean = answers(agent)
    assert len(blanked) >= len(TEXTS)  # every text went through the lean input
    monkeypatch.setattr(sentence_input, "tokens_unused", lambda config: False)
    with_tokens = answers(agent)
    assert len(TEXTS) > 80
    assert any(faq for _, faq in lean)  # the FAQ selector's network ran too
    assert lean == with_tokens
