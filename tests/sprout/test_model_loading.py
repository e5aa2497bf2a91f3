"""Loading the trained model without a training step, and spaCy once, gives the same answers."""

from __future__ import annotations

from pathlib import Path

from rasa.core.agent import Agent
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.utils.tensorflow.models import RasaModel

from sprout import model_loading
from tests.support.model_answers import TEXTS, answers

NLU_SPACY = str(Path(__file__).resolve().parents[2] / "build" / "spacy" / "en_core_web_md_nlu")


def test_fast_loading_answers_exactly_like_rasas_loading(trained_model: Path) -> None:
    stock_loaded = answers(Agent.load(str(trained_model)))
    model_loading.apply()
    try:
        assert RasaModel.load.__func__ is model_loading.load_for_inference  # type: ignore[attr-defined]
        fast_loaded = answers(Agent.load(str(trained_model)))
    finally:
        model_loading.remove()
    assert RasaModel.load.__func__ is not model_loading.load_for_inference  # type: ignore[attr-defined]
    assert len(TEXTS) > 80
    assert any(faq for _, faq in fast_loaded)  # the FAQ selector was loaded and used
    assert fast_loaded == stock_loaded


def test_spacy_is_loaded_once_per_model_name() -> None:
    model_loading.apply()
    try:
        first = SpacyNLP.load_model(NLU_SPACY)
        assert SpacyNLP.load_model(NLU_SPACY) is first
    finally:
        model_loading.remove()
    assert SpacyNLP.load_model(NLU_SPACY) is not first
