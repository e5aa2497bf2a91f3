"""Leaving the tokens' features out of the classifiers' input changes no answer."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.core.agent import Agent
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    INTENT_RESPONSE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.models import RasaModel

from sprout import sentence_input
from sprout.faq_selector import FaqResponseSelector
from sprout.sentence_input import IntentClassifier, tokens_unused, without_token_features
from tests.support.model_answers import TEXTS, answers, components

ROOT = Path(__file__).resolve().parents[2]


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


def names(answer: tuple[list[Any], list[Any]]) -> list[str]:
    intents, faq = answer
    return [name for name, _ in intents + faq]


def confidences(answer: tuple[list[Any], list[Any]]) -> list[float]:
    intents, faq = answer
    return [confidence for _, confidence in intents + faq]


def test_the_trained_model_answers_the_same_with_the_tokens_features(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    blanked: list[Message] = []

    def counted(message: Message) -> Message:
        blanked.append(message)
        return without_token_features(message)

    # Both ways through TensorFlow: the NumPy sentence path has its own test.
    monkeypatch.setattr(sentence_input.SentenceInput, "_sentence_forward", lambda self: None)
    monkeypatch.setattr(sentence_input, "without_token_features", counted)
    lean = answers(agent)
    assert len(blanked) >= len(TEXTS)  # every text went through the lean input
    monkeypatch.setattr(sentence_input, "tokens_unused", lambda config: False)
    with_tokens = answers(agent)
    assert len(TEXTS) > 80
    assert any(faq for _, faq in lean)  # the FAQ selector's network ran too
    # The same labels in the same order. The confidences agree to float rounding: the
    # two inputs are added up in a different order, which on some CPUs moves the last
    # bits of a float32 (up to about 1e-7 of the value).
    assert [names(answer) for answer in lean] == [names(answer) for answer in with_tokens]
    assert [confidences(answer) for answer in lean] == [
        pytest.approx(confidences(answer), rel=1e-5, abs=1e-12) for answer in with_tokens
    ]


@pytest.fixture(scope="module")
def small_training_data() -> TrainingData:
    """Every eighth example of each intent in data/nlu, with the FAQ answers, featurized."""
    data = load_data(str(ROOT / "data" / "nlu")).merge(load_data(str(ROOT / "data" / "responses")))
    by_label: dict[str, list[Message]] = {}
    for example in data.training_examples:
        label = example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)
        by_label.setdefault(label, []).append(example)
    kept = [m for examples in by_label.values() for m in examples[::8]]
    small = TrainingData(training_examples=kept, responses=data.responses)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(small)
    context = ExecutionContext(GraphSchema({}), "sentence-weights")
    with tempfile.TemporaryDirectory() as folder:
        featurizer = CountVectorsFeaturizer.create(
            CountVectorsFeaturizer.get_default_config(),
            LocalModelStorage(Path(folder)),
            Resource("features"),
            context,
        )
        featurizer.train(small)
        featurizer.process_training_data(small)
    return small


def trained_network(component: type, config: dict[str, Any], data: TrainingData) -> RasaModel:
    with tempfile.TemporaryDirectory() as folder:
        classifier = component.create(
            {**component.get_default_config(), **config},
            LocalModelStorage(Path(folder)),
            Resource("classifier"),
            ExecutionContext(GraphSchema({}), "sentence-weights"),
        )
        classifier.train(data)
    return classifier.model


@pytest.mark.parametrize(
    ("component", "config"),
    [
        (IntentClassifier, {"entity_recognition": False}),
        (FaqResponseSelector, {"retrieval_intent": "faq"}),
    ],
)
def test_training_leaves_out_only_weights_whose_updates_are_zero(
    component: type,
    config: dict[str, Any],
    small_training_data: TrainingData,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every weight ends training exactly as when all weights go through Adam."""
    data = small_training_data
    config = {**config, "number_of_transformer_layers": 0, "epochs": 3, "random_seed": 3}
    lean = trained_network(component, config, data)
    left_out = [w.name for w in lean.weights if sentence_input.reads_only_tokens(w)]
    monkeypatch.setattr(sentence_input, "reads_only_tokens", lambda weight: False)
    full = trained_network(component, config, data)

    assert left_out  # the token layer's kernel and bias
    assert all("_text_sequence/" in name for name in left_out)
    # Adam keeps two slots per trained weight: the left-out ones got none.
    assert len(full.optimizer.variables) - len(lean.optimizer.variables) == 2 * len(left_out)
    assert [w.name for w in lean.weights] == [w.name for w in full.weights]
    for mine, rasas in zip(lean.weights, full.weights, strict=True):
        np.testing.assert_array_equal(mine.numpy(), rasas.numpy(), err_msg=mine.name)
