"""Train an NLU model from a config and score it on the held-out set.

Shared by `make bench-nlu` and by config tuning:

    python -m bench.nlu_eval path/to/config.yml [more configs ...]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "data" / "nlu_holdout.yml"


@dataclass
class Scores:
    """Held-out figures for one system."""

    name: str
    intent_accuracy: float
    faq_key_accuracy: float
    per_key: dict[str, float]
    oos_precision: float
    oos_recall: float
    train_seconds: float
    misses: list[tuple[str, str, str]] = field(default_factory=list)


def holdout() -> list[tuple[str, str]]:
    """(label, text) pairs; FAQ labels look like faq/insurance."""
    data = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    return [
        (block["intent"], line.strip().removeprefix("- ").strip())
        for block in data["nlu"]
        for line in block["examples"].splitlines()
        if line.strip()
    ]


def score(name: str, predictions: list[tuple[str, str, str]], train_seconds: float) -> Scores:
    """Turn (expected, predicted, text) triples into the benchmark's figures."""
    intent_hits = [(e.split("/")[0] == p.split("/")[0]) for e, p, _ in predictions]
    faq = [(e, p) for e, p, _ in predictions if e.startswith("faq/")]
    per_key: dict[str, list[bool]] = defaultdict(list)
    for expected, predicted in faq:
        per_key[expected.removeprefix("faq/")].append(expected == predicted)
    predicted_oos = [e for e, p, _ in predictions if p == "out_of_scope"]
    actual_oos = [p for e, p, _ in predictions if e == "out_of_scope"]
    return Scores(
        name=name,
        intent_accuracy=sum(intent_hits) / len(intent_hits),
        faq_key_accuracy=sum(e == p for e, p in faq) / len(faq),
        per_key={k: sum(v) / len(v) for k, v in sorted(per_key.items())},
        oos_precision=(
            sum(e == "out_of_scope" for e in predicted_oos) / len(predicted_oos)
            if predicted_oos
            else 0.0
        ),
        oos_recall=sum(p == "out_of_scope" for p in actual_oos) / max(len(actual_oos), 1),
        train_seconds=train_seconds,
        misses=[(e, p, t) for e, p, t in predictions if e != p],
    )


def label_of(parse: dict) -> str:
    """Map a Rasa parse to a label comparable with the held-out ones."""
    intent = parse["intent"]["name"]
    if intent != "faq":
        return intent
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    return key or "faq"


def evaluate_model(model: str, name: str, train_seconds: float = 0.0) -> Scores:
    """Score an already trained Rasa model on the held-out set."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)

    async def parse_all() -> list[tuple[str, str, str]]:
        results = []
        for label, text in holdout():
            parse = await agent.parse_message(text)
            results.append((label, label_of(parse), text))
        return results

    return score(name, asyncio.run(parse_all()), train_seconds)


def evaluate_rasa_config(config: Path, name: str | None = None, data: Path | None = None) -> Scores:
    """Train NLU with this config on data/ (or `data`) and score it on the held-out set."""
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory(prefix="sprout-nlu-") as out:
        started = time.monotonic()
        model = train_nlu(
            config=str(config),
            nlu_data=str(data or ROOT / "data"),
            output=out,
            domain=str(ROOT / "domain.yml"),
            fixed_model_name="nlu",
        )
        seconds = time.monotonic() - started
        return evaluate_model(model, name or config.stem, seconds)


def main(argv: list[str]) -> int:
    data = Path(os.environ["SPROUT_NLU_DATA"]) if os.environ.get("SPROUT_NLU_DATA") else None
    for path in argv[1:]:
        if path.endswith(".tar.gz"):
            result = evaluate_model(path, Path(path).name)
        else:
            result = evaluate_rasa_config(Path(path), data=data)
        summary = {k: v for k, v in asdict(result).items() if k != "misses"}
        print(json.dumps(summary, indent=1))
        for miss in result.misses:
            print("MISS", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
