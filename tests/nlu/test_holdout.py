"""Held-out NLU quality, measured on the real trained model through the HTTP API.

tests/data/nlu_holdout.yml was written apart from the training data and is
never trained on. The thresholds are the product's quality bar.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from tests.support.bot_client import BotClient, faq_key

HOLDOUT = Path(__file__).resolve().parent.parent / "data" / "nlu_holdout.yml"
OVERALL_FAQ_MIN = 0.95
PER_KEY_FAQ_MIN = 0.85
OVERALL_INTENT_MIN = 0.90


def load_holdout() -> list[tuple[str, str]]:
    """(label, text) pairs; FAQ labels look like faq/insurance."""
    data = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    pairs = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((block["intent"], text))
    return pairs


@pytest.fixture(scope="module")
def predictions(bot: BotClient) -> list[tuple[str, str, str]]:
    """(expected label, predicted label, text) for every held-out example."""
    results = []
    for label, text in load_holdout():
        parsed = bot.parse(text)
        intent = parsed["intent"]["name"]
        predicted = f"faq/{faq_key(parsed)}" if intent == "faq" else intent
        results.append((label, predicted, text))
    return results


def _table(rows: dict[str, list[bool]]) -> str:
    lines = [f"{'label':<32} {'n':>3} {'acc':>6}"]
    for label in sorted(rows):
        hits = rows[label]
        lines.append(f"{label:<32} {len(hits):>3} {sum(hits) / len(hits):>6.2f}")
    return "\n".join(lines)


def test_holdout_has_enough_faq_examples() -> None:
    counts = Counter(label for label, _ in load_holdout() if label.startswith("faq/"))
    assert len(counts) == 18
    assert min(counts.values()) >= 8


def test_faq_keys_answered_correctly(predictions: list[tuple[str, str, str]]) -> None:
    per_key: dict[str, list[bool]] = defaultdict(list)
    for expected, predicted, _ in predictions:
        if expected.startswith("faq/"):
            per_key[expected].append(predicted == expected)
    print("\nHeld-out FAQ accuracy per key\n" + _table(per_key))
    misses = [(e, p, t) for e, p, t in predictions if e.startswith("faq/") and e != p]
    for expected, predicted, text in misses:
        print(f"  MISS {expected} -> {predicted}: {text}")
    total = [hit for hits in per_key.values() for hit in hits]
    overall = sum(total) / len(total)
    worst = min(per_key, key=lambda k: sum(per_key[k]) / len(per_key[k]))
    assert overall >= OVERALL_FAQ_MIN, f"overall FAQ accuracy {overall:.3f}"
    assert sum(per_key[worst]) / len(per_key[worst]) >= PER_KEY_FAQ_MIN, f"weakest key {worst}"


def test_other_intents_recognised(predictions: list[tuple[str, str, str]]) -> None:
    per_intent: dict[str, list[bool]] = defaultdict(list)
    for expected, predicted, _ in predictions:
        if not expected.startswith("faq/"):
            per_intent[expected].append(predicted == expected)
    print("\nHeld-out intent accuracy\n" + _table(per_intent))
    for expected, predicted, text in predictions:
        if not expected.startswith("faq/") and expected != predicted:
            print(f"  MISS {expected} -> {predicted}: {text}")
    total = [hit for hits in per_intent.values() for hit in hits]
    assert sum(total) / len(total) >= OVERALL_INTENT_MIN


def test_every_emergency_phrasing_is_caught(predictions: list[tuple[str, str, str]]) -> None:
    missed = [t for e, p, t in predictions if e == "emergency" and p != "emergency"]
    assert not missed, f"emergencies not recognised: {missed}"
