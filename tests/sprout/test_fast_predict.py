"""Calling the prediction graphs directly gives exactly Rasa's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from sprout import fast_predict
from tests.sprout.test_model_loading import TEXTS, answers


@pytest.fixture(scope="module")
def agent(trained_model: Path) -> Agent:
    return Agent.load(str(trained_model))


def test_direct_calls_answer_exactly_like_rasas_dispatch(agent: Agent) -> None:
    through_dispatch = answers(agent)
    assert fast_predict.apply()
    try:
        assert RasaModel._rasa_predict is fast_predict.predict_directly
        direct = answers(agent)
    finally:
        fast_predict.remove()
    assert RasaModel._rasa_predict is not fast_predict.predict_directly
    assert len(TEXTS) > 80
    assert any(faq for _, faq in direct)  # the FAQ selector's graph was called too
    assert direct == through_dispatch


def test_a_model_never_used_traces_its_graph_first(trained_model: Path) -> None:
    """A fresh model has no graph yet: the first call goes through Rasa, then direct."""
    fast_predict.apply()
    try:
        fresh = Agent.load(str(trained_model))
        first = answers(fresh)
        again = answers(fresh)
    finally:
        fast_predict.remove()
    assert first == again
