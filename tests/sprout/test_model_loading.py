"""Loading the trained model without a training step, and spaCy once, gives the same answers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.utils.tensorflow.models import RasaModel

from bench.nlu_eval import holdout
from sprout import model_loading

TEXTS = [text for _, text in holdout()][::4]  # every 4th held-out message, all intents
NLU_SPACY = str(Path(__file__).resolve().parents[2] / "build" / "spacy" / "en_core_web_md_nlu")


def answers(agent: Agent) -> list[tuple[list[Any], list[Any]]]:
    """Each text's intent ranking and FAQ ranking, with confidences."""

    async def parse_all() -> list[tuple[list[Any], list[Any]]]:
        out = []
        for text in TEXTS:
            parsed = await agent.parse_message(text)
            faq = ((parsed.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
            out.append(
                (
                    [(r["name"], r["confidence"]) for r in parsed["intent_ranking"]],
                    [(r["intent_response_key"], r["confidence"]) for r in faq],
                )
            )
        return out

    return asyncio.run(parse_all())


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
