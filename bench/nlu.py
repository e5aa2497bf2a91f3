"""`make bench-nlu`: held-out NLU figures for Sprout and two baselines.

Writes bench/results/nlu.json and prints a markdown table. The baselines are
trained on the same data in the same run: Rasa's default pipeline, and TF-IDF
with logistic regression over the same labels.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone

import yaml

from bench.nlu_eval import ROOT, Scores, evaluate_model, evaluate_rasa_config, holdout, score

RESULTS = ROOT / "bench" / "results"


def training_examples() -> list[tuple[str, str]]:
    """(label, text) pairs from data/nlu, FAQ labels as faq/<key>."""
    pairs = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                if line.strip():
                    pairs.append((block["intent"], line.strip().removeprefix("- ").strip()))
    return pairs


def tfidf_baseline() -> Scores:
    """Word and character TF-IDF with logistic regression, one flat label set."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    train = training_examples()
    started = time.monotonic()
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000, C=10.0),
    )
    model.fit([t for _, t in train], [label for label, _ in train])
    seconds = time.monotonic() - started
    cases = holdout()
    predicted = model.predict([t for _, t in cases])
    return score(
        "tfidf_logreg", [(e, p, t) for (e, t), p in zip(cases, predicted, strict=True)], seconds
    )


def table(results: list[Scores]) -> str:
    lines = [
        "| system | intent acc | FAQ key acc | weakest key | OOS precision | OOS recall "
        "| train s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        weakest = min(r.per_key, key=r.per_key.get)
        lines.append(
            f"| {r.name} | {r.intent_accuracy:.3f} | {r.faq_key_accuracy:.3f} | "
            f"{weakest} {r.per_key[weakest]:.2f} | {r.oos_precision:.3f} | {r.oos_recall:.3f} | "
            f"{r.train_seconds:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    from tools.model import ensure_model

    results = [
        evaluate_model(str(ensure_model()), "sprout"),
        evaluate_rasa_config(ROOT / "bench" / "configs" / "rasa_default.yml", "rasa_default"),
        tfidf_baseline(),
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(),
        "holdout_examples": len(holdout()),
        "systems": [{k: v for k, v in asdict(r).items()} for r in results],
    }
    (RESULTS / "nlu.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    markdown = table(results)
    (RESULTS / "nlu.md").write_text(markdown + "\n", encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
