"""Quality figures beside the speed figures: held-out NLU through the running server, and triage.

The same held-out sets and scoring as `make bench-nlu` and `make bench-triage`, so one
results file shows what the speed was bought with.
"""

from __future__ import annotations

from typing import Any

import requests

from bench import nlu_eval, triage
from bench.load import ensure_local


def nlu_holdout(url: str, token: str) -> dict[str, Any]:
    """Intent and FAQ-key accuracy on tests/data/nlu_holdout.yml via POST /model/parse."""
    url = ensure_local(url)
    predictions = []
    with requests.Session() as session:
        for label, text in nlu_eval.holdout():
            response = session.post(
                f"{url}/model/parse", params={"token": token}, json={"text": text}, timeout=30
            )
            response.raise_for_status()
            predictions.append((label, nlu_eval.label_of(response.json()), text))
    scores = nlu_eval.score("sprout", predictions, 0.0)
    return {
        "messages": len(predictions),
        "intent_accuracy": scores.intent_accuracy,
        "faq_key_accuracy": scores.faq_key_accuracy,
        "lowest_faq_key_accuracy": min(scores.per_key.values()),
    }


def triage_cases() -> dict[str, Any]:
    """Triage accuracy on tests/data/triage_cases.yml, and how many `other` cases stayed."""
    scores = triage.run_sprout(triage.load_cases())
    kept, total = (int(n) for n in scores.other_kept.split("/"))
    return {
        "cases": scores.cases,
        "accuracy": scores.accuracy,
        "other_kept": kept / total if total else None,
        "other_kept_of": scores.other_kept,
    }
