"""Calling the prediction graphs directly gives exactly Rasa's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from sprout import fast_predict
from tests.support.model_answers import TEXTS, answers, networks


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


def test_a_fresh_model_traced_without_autograph_answers_like_rasas(
    agent: Agent, trained_model: Path
) -> None:
    """Loading traces each network's graph (here without AutoGraph); answers are Rasa's."""
    rasas = answers(agent)  # loaded and traced by Rasa's own code
    fast_predict.apply()
    try:
        fresh = Agent.load(str(trained_model))
        first = answers(fresh)
        again = answers(fresh)
    finally:
        fast_predict.remove()
    traced = [model._tf_predict_step for model in networks(fresh)]
    assert len(traced) == 2  # the intent classifier and the FAQ selector
    assert all(step is not None and not step._autograph for step in traced)
    assert all(model._tf_predict_step._autograph for model in networks(agent))
    assert first == again == rasas
