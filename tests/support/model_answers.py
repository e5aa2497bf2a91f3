"""What a loaded model answers, and what its graph holds: shared by the speed-up tests."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from bench.nlu_eval import holdout

TEXTS = [text for _, text in holdout()][::4]  # every 4th held-out message, all intents


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


def components(agent: Agent) -> list[Any]:
    """The loaded graph's components, in no particular order."""
    return [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()]


def networks(agent: Agent) -> list[RasaModel]:
    """The TensorFlow networks of the loaded graph's classifiers."""
    found = [getattr(component, "model", None) for component in components(agent)]
    return [model for model in found if isinstance(model, RasaModel)]
