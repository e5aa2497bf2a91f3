"""The lean networks' NumPy sentence path answers as their TensorFlow graphs do."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse
import tensorflow as tf
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from sprout import sentence_forward
from sprout.sentence_forward import SentenceForward, gelu
from sprout.sentence_input import SentenceInput
from tests.support.model_answers import TEXTS, answers, components

# float32 sums in another order: TensorFlow's own answers move by about 1e-7 between CPUs.
CONFIDENCE_TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def agent(trained_model: Path) -> Agent:
    return Agent.load(str(trained_model))


def lean_classifiers(agent: Agent) -> list[Any]:
    return [c for c in components(agent) if isinstance(c, SentenceInput)]


def count_graph_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time a network runs its TensorFlow graph."""
    runs: list[int] = []
    real_inference = RasaModel.run_inference

    def counted(self: RasaModel, *args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return real_inference(self, *args, **kwargs)

    monkeypatch.setattr(RasaModel, "run_inference", counted)
    return runs


def test_gelu_is_tensorflows_exact_gelu() -> None:
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    expected = tf.nn.gelu(tf.constant(x), approximate=False).numpy()
    # Where 1 + erf cancels (x below about -4), float32 keeps only about 1e-6 absolute.
    np.testing.assert_allclose(gelu(x), expected, rtol=1e-5, atol=1e-6)
    assert gelu(x).dtype == np.float32


def test_the_trained_model_answers_as_with_tensorflow(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(lean_classifiers(agent)) == 2
    forward_calls: list[int] = []
    real_forward = SentenceForward.__call__

    def counted_forward(self: SentenceForward, features: list[Any]) -> np.ndarray:
        forward_calls.append(1)
        return real_forward(self, features)

    monkeypatch.setattr(SentenceForward, "__call__", counted_forward)
    graph_calls = count_graph_runs(monkeypatch)
    with_numpy = answers(agent)
    assert len(forward_calls) >= len(TEXTS) and not graph_calls

    monkeypatch.setattr(SentenceInput, "_sentence_forward", lambda self: None)
    with_tensorflow = answers(agent)
    assert len(graph_calls) >= len(TEXTS)

    assert sum(bool(faq) for _, faq in with_numpy) > 20  # the FAQ selector ran too
    for (intents, faq), (tf_intents, tf_faq) in zip(with_numpy, with_tensorflow, strict=True):
        assert intents[0][0] == tf_intents[0][0]
        assert bool(faq) == bool(tf_faq)
        if faq:
            assert faq[0][0] == tf_faq[0][0]
        # Rankings keep the top ten; labels tied near zero may swap at the cut.
        reference = dict(tf_intents + tf_faq)
        for name, confidence in intents + faq:
            assert confidence == pytest.approx(reference.get(name, 0.0), abs=CONFIDENCE_TOLERANCE)


def test_diagnostic_runs_use_tensorflow(agent: Agent) -> None:
    for classifier in lean_classifiers(agent):
        assert classifier._sentence_forward() is not None
        context = classifier._execution_context
        classifier._execution_context = dataclasses.replace(
            context, should_add_diagnostic_data=True
        )
        try:
            assert classifier._sentence_forward() is None
        finally:
            classifier._execution_context = context


def test_features_of_other_widths_go_to_tensorflow(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    forward = lean_classifiers(agent)[0]._sentence_forward()
    sparse_width, dense_width = forward.widths
    right = [scipy.sparse.coo_matrix((1, sparse_width)), np.zeros((1, dense_width))]
    assert forward.accepts(right)
    assert not forward.accepts([scipy.sparse.coo_matrix((1, sparse_width + 1)), right[1]])
    assert not forward.accepts([right[0], np.zeros((1, dense_width - 1))])
    assert not forward.accepts(right[:1])

    expected = answers(agent)
    real_features = sentence_forward.sentence_features

    def wider(model_data: Any) -> list[Any] | None:
        features = real_features(model_data)
        return [
            scipy.sparse.hstack([f, scipy.sparse.coo_matrix((1, 1))]).tocoo()
            if scipy.sparse.issparse(f)
            else f
            for f in features
        ]

    monkeypatch.setattr(sentence_forward, "sentence_features", wider)
    graph_calls = count_graph_runs(monkeypatch)
    fallen_back = answers(agent)
    assert len(graph_calls) >= len(TEXTS)
    assert [a[0][0][0] for a in fallen_back] == [a[0][0][0] for a in expected]
