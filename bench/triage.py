"""`make bench-triage`: Sprout's PT/OT triage against a keyword-count baseline.

Both read the labelled cases in tests/data/triage_cases.yml (the held-out set). Sprout runs
what the action runs (assess, the therapy decision and explain, with the action's spaCy
pipeline); the baseline counts PT and OT words from the clinic's PT-vs-OT guides, so the
table shows what the parsing buys over plain word spotting. Writes bench/results/triage.json
and .md.

`--cases tests/data/triage_dev.yml` measures another file instead (results go to
triage-<file name>.*), and `--misses` lists every miss with what was noticed: that is the
loop for tuning on the development set without touching the held-out one.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "triage_cases.yml"
RESULTS = ROOT / "bench" / "results"
LABELS = ("pt", "ot", "both", "other")

# The guides' checklists, as word beginnings ("crawl" also counts "crawling").
PT_WORDS = (
    "gross motor", "rolling", "roll over", "crawl", "walk", "jump", "sit", "stand", "balance",
    "coordination", "strength", "weak", "low tone", "floppy", "stiff", "tight", "posture",
    "core", "mobility", "walker", "wheelchair", "orthotic", "head control", "tummy time",
    "torticollis", "flat spot", "favo", "one side", "toe", "motor delay",
)  # fmt: skip
OT_WORDS = (
    "fine motor", "hand strength", "pencil", "grip", "grasp", "button", "hand-eye", "visual",
    "sensory", "noise", "texture", "emotion", "meltdown", "regulat", "self-care", "brushing",
    "teeth", "feed", "spoon", "fork", "utensil", "dress", "handwriting", "writing", "scissors",
    "attention", "focus", "crayon",
)  # fmt: skip


@dataclass
class Scores:
    """One system's figures on the cases."""

    name: str
    cases: int
    accuracy: float
    other_kept: str  # "k/n": cases labelled other that stayed other
    confusion: dict[str, dict[str, int]]  # expected -> predicted -> count
    p50_ms: float | None = None
    p95_ms: float | None = None


def load_cases(path: Path = CASES) -> list[tuple[str, str]]:
    """(text, expected) pairs; a bad label stops the run rather than skewing it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for n, case in enumerate(data.get("cases") or [], 1):
        expected = str(case.get("expected", "")).strip().lower()
        if expected not in LABELS or not str(case.get("text", "")).strip():
            raise SystemExit(f"{path.name}: case {n} needs text and expected in {LABELS}")
        cases.append((str(case["text"]), expected))
    return cases


def _count(words: tuple[str, ...], text: str) -> int:
    return sum(len(re.findall(rf"\b{re.escape(word)}", text)) for word in words)


def keyword_baseline(text: str) -> str:
    """PT words vs OT words: both if both appear, other if neither."""
    lowered = text.lower()
    pt, ot = _count(PT_WORDS, lowered), _count(OT_WORDS, lowered)
    if pt and ot:
        return "both"
    return "pt" if pt else "ot" if ot else "other"


def score(name: str, pairs: list[tuple[str, str]], millis: list[float] | None = None) -> Scores:
    """Accuracy and confusion matrix from (expected, predicted) pairs."""
    confusion = {e: dict.fromkeys(LABELS, 0) for e in LABELS}
    for expected, predicted in pairs:
        confusion[expected][predicted] += 1
    right = sum(confusion[label][label] for label in LABELS)
    others = sum(confusion["other"].values())
    percentiles = statistics.quantiles(millis, n=20, method="inclusive") if millis else None
    return Scores(
        name=name,
        cases=len(pairs),
        accuracy=right / len(pairs) if pairs else 0.0,
        other_kept=f"{confusion['other']['other']}/{others}",
        confusion=confusion,
        p50_ms=statistics.median(millis) if millis else None,
        p95_ms=percentiles[18] if percentiles else None,
    )


def sprout_runner() -> Callable[[str], tuple[str, list[str]]]:
    """Assess, decide and explain as the action does; no therapy counts as other."""
    from actions.logic.triage import assess, explain
    from actions.wiring import get_nlp

    nlp = get_nlp()

    def run(text: str) -> tuple[str, list[str]]:
        assessment = assess(text, nlp)
        explain(assessment)
        return assessment.therapy or "other", assessment.to_slot()

    run("warm-up: she isn't crawling yet")  # first call builds the matcher and vectors
    return run


def run_sprout(cases: list[tuple[str, str]], misses: list[str] | None = None) -> Scores:
    """Sprout's figures; with `misses`, each miss is added there as a readable line."""
    run = sprout_runner()
    pairs, millis = [], []
    for text, expected in cases:
        started = time.perf_counter()
        predicted, noticed = run(text)
        millis.append((time.perf_counter() - started) * 1000)
        pairs.append((expected, predicted))
        if misses is not None and predicted != expected:
            misses.append(f"{expected} -> {predicted} {noticed}: {text}")
    return score("sprout", pairs, millis)


def run_baseline(cases: list[tuple[str, str]]) -> Scores:
    return score("keyword_count", [(e, keyword_baseline(t)) for t, e in cases])


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(results: list[Scores]) -> str:
    """The summary and each system's confusion matrix, as markdown."""
    lines = [
        "| system | cases | accuracy | other stays other | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.name} | {r.cases} | {r.accuracy:.3f} | {r.other_kept} | {_ms(r.p50_ms)} "
        f"| {_ms(r.p95_ms)} |"
        for r in results
    ]
    for r in results:
        lines += ["", f"{r.name}: expected (rows) vs predicted (columns)", ""]
        lines += ["| expected | " + " | ".join(LABELS) + " |", "|---" * (len(LABELS) + 1) + "|"]
        lines += [
            f"| {e} | " + " | ".join(str(r.confusion[e][p]) for p in LABELS) + " |" for e in LABELS
        ]
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.triage", description=__doc__)
    parser.add_argument(
        "--cases", type=Path, default=CASES, help="labelled cases file (default: the test set)"
    )
    parser.add_argument("--misses", action="store_true", help="list every case Sprout missed")
    return parser.parse_args(argv)


def _shown(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    path: Path = args.cases
    if not path.is_file():
        print(f"{_shown(path)} is missing; add the labelled cases first.")
        return 1
    cases = load_cases(path)
    misses: list[str] | None = [] if args.misses else None
    results = [run_sprout(cases, misses), run_baseline(cases)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(),
        "cases_file": _shown(path),
        "latency": "assess + explain per case, after one warm-up call",
        "systems": [asdict(r) for r in results],
    }
    stem = "triage" if path.resolve() == CASES else f"triage-{path.stem}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    markdown = table(results)
    (RESULTS / f"{stem}.md").write_text(markdown + "\n", encoding="utf-8")
    print(markdown)
    for line in misses or []:
        print(f"  MISS {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
