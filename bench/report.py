"""Turn one benchmark run into results files: JSON, a markdown summary and PNG plots.

Ratios to stock are computed here, in one place, so the JSON, the table and the
target verdicts can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# (label, unit, path into a bot's figures, scale, which direction is better)
Row = tuple[str, str, tuple[str, ...], float, str]

ROWS: tuple[Row, ...] = (
    (
        "Serial p50, fresh conversation",
        "ms",
        ("phases", "serial_fresh", "latency_s", "p50"),
        1000,
        "lower",
    ),
    (
        "Serial p95, fresh conversation",
        "ms",
        ("phases", "serial_fresh", "latency_s", "p95"),
        1000,
        "lower",
    ),
    (
        "Serial p99, fresh conversation",
        "ms",
        ("phases", "serial_fresh", "latency_s", "p99"),
        1000,
        "lower",
    ),
    (
        "Serial p50, within conversations",
        "ms",
        ("phases", "serial_conversation", "latency_s", "p50"),
        1000,
        "lower",
    ),
    (
        "Serial p95, within conversations",
        "ms",
        ("phases", "serial_conversation", "latency_s", "p95"),
        1000,
        "lower",
    ),
    (
        "Serial p99, within conversations",
        "ms",
        ("phases", "serial_conversation", "latency_s", "p99"),
        1000,
        "lower",
    ),
    (
        "NLU only (/model/parse) p50",
        "ms",
        ("phases", "nlu_parse", "latency_s", "p50"),
        1000,
        "lower",
    ),
    (
        "Server CPU per message, serial fresh",
        "ms",
        ("phases", "serial_fresh", "cpu_per_message_ms"),
        1,
        "lower",
    ),
    ("Throughput, 20 clients", "msg/s", ("phases", "concurrent", "throughput_msg_s"), 1, "higher"),
    ("p50, 20 clients", "ms", ("phases", "concurrent", "latency_s", "p50"), 1000, "lower"),
    ("p95, 20 clients", "ms", ("phases", "concurrent", "latency_s", "p95"), 1000, "lower"),
    ("Errors, 20 clients", "count", ("phases", "concurrent", "errors"), 1, "lower"),
    ("Server CPU, 20 clients", "cores", ("phases", "concurrent", "server_cores"), 1, "lower"),
    (
        "Server CPU per message, 20 clients",
        "ms",
        ("phases", "concurrent", "cpu_per_message_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. CPU/msg, turn 1",
        "ms",
        ("phases", "long_conversation", "checkpoints", "1", "window_cpu_per_message_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. CPU/msg, turn 50",
        "ms",
        ("phases", "long_conversation", "checkpoints", "50", "window_cpu_per_message_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. CPU/msg, turn 200",
        "ms",
        ("phases", "long_conversation", "checkpoints", "200", "window_cpu_per_message_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. latency p50, turn 1",
        "ms",
        ("phases", "long_conversation", "checkpoints", "1", "window_latency_p50_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. latency p50, turn 50",
        "ms",
        ("phases", "long_conversation", "checkpoints", "50", "window_latency_p50_ms"),
        1,
        "lower",
    ),
    (
        "Long conv. latency p50, turn 200",
        "ms",
        ("phases", "long_conversation", "checkpoints", "200", "window_latency_p50_ms"),
        1,
        "lower",
    ),
    ("SMS webhook round trip p50", "ms", ("sms", "latency_s", "p50"), 1000, "lower"),
    ("SMS webhook round trip p95", "ms", ("sms", "latency_s", "p95"), 1000, "lower"),
    ("Widget (socket.io) first reply p50", "ms", ("widget", "latency_s", "p50"), 1000, "lower"),
    ("Widget (socket.io) first reply p95", "ms", ("widget", "latency_s", "p95"), 1000, "lower"),
    (
        "NLU held-out intent accuracy",
        "",
        ("quality", "nlu_holdout", "intent_accuracy"),
        1,
        "higher",
    ),
    (
        "NLU held-out FAQ key accuracy",
        "",
        ("quality", "nlu_holdout", "faq_key_accuracy"),
        1,
        "higher",
    ),
    ("Triage held-out accuracy", "", ("quality", "triage", "accuracy"), 1, "higher"),
    ("Triage held-out 'other' kept", "", ("quality", "triage", "other_kept"), 1, "higher"),
    ("Cold start (launch to first answer)", "s", ("cold_start_s",), 1, "lower"),
    ("Full training", "s", ("training", "seconds"), 1, "lower"),
    ("Model size", "MB", ("model_mb",), 1, "lower"),
    ("RSS idle, Rasa server", "MB", ("rss_idle_mb", "rasa"), 1, "lower"),
    ("RSS idle, action server", "MB", ("rss_idle_mb", "actions"), 1, "lower"),
    ("RSS idle, total", "MB", ("rss_idle_mb", "total"), 1, "lower"),
    ("RSS peak under load, Rasa server", "MB", ("rss_peak_mb", "rasa"), 1, "lower"),
    ("RSS peak under load, action server", "MB", ("rss_peak_mb", "actions"), 1, "lower"),
    ("RSS peak under load, total", "MB", ("rss_peak_mb", "total"), 1, "lower"),
)


def dig(data: Any, path: Sequence[str]) -> Any:
    """data[path[0]][path[1]]..., or None where any step is missing."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def figures(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row for both bots, with Sprout / stock where both exist."""
    rows = []
    for label, unit, path, scale, better in ROWS:
        sprout, stock = (dig(results["bots"][b], path) for b in ("sprout", "stock"))
        sprout = sprout * scale if isinstance(sprout, (int, float)) else None
        stock = stock * scale if isinstance(stock, (int, float)) else None
        ratio = sprout / stock if sprout is not None and stock else None
        rows.append(
            {
                "metric": label,
                "unit": unit,
                "sprout": sprout,
                "stock": stock,
                "ratio": ratio,
                "better": better,
            }
        )
    return rows


def _ratio(rows: list[dict[str, Any]], metric: str) -> float | None:
    return next(r["ratio"] for r in rows if r["metric"] == metric)


def _growth(bot: dict[str, Any]) -> tuple[float | None, str]:
    points = dig(bot, ("phases", "long_conversation", "checkpoints")) or {}
    if "1" not in points or len(points) < 2:
        return None, "-"
    last = max(points, key=int)
    first_cpu = points["1"]["window_cpu_per_message_ms"]
    growth = points[last]["window_cpu_per_message_ms"] / first_cpu if first_cpu else None
    return growth, last


def targets(results: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pass/fail against the issue's targets; informational only, never an exit code."""
    growth, last = _growth(results["bots"]["sprout"])
    idle = dig(results["bots"]["sprout"], ("rss_idle_mb", "total"))
    checks = [
        ("Throughput at 20 clients ≥ 4× stock", _ratio(rows, "Throughput, 20 clients"), ">=", 4.0),
        ("p95 at 20 clients ≤ ¼ of stock", _ratio(rows, "p95, 20 clients"), "<=", 0.25),
        (
            "Serial p50 (fresh) ≤ ½ of stock",
            _ratio(rows, "Serial p50, fresh conversation"),
            "<=",
            0.5,
        ),
        (f"CPU/msg at turn {last} ≤ 1.3× turn 1", growth, "<=", 1.3),
        (
            "Cold start ≤ ⅓ of stock",
            _ratio(rows, "Cold start (launch to first answer)"),
            "<=",
            1 / 3,
        ),
        ("Full training no slower than stock", _ratio(rows, "Full training"), "<=", 1.0),
        ("Idle RSS, Rasa + actions ≤ 1.2 GB (MB)", idle, "<=", 1200.0),
    ]
    verdicts = []
    for name, value, op, limit in checks:
        passed = None if value is None else (value >= limit if op == ">=" else value <= limit)
        verdicts.append({"target": name, "value": value, "limit": limit, "op": op, "pass": passed})
    return verdicts


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}" if abs(value) < 10 or digits != 1 else f"{value:,.0f}"
    return str(value)


def markdown(results: dict[str, Any], plots: list[Path]) -> str:
    """A summary a person can read in the results folder or paste into the README."""
    bots = results["bots"]
    lines = [
        f"# Serving benchmark, {results['measured_at'][:19]} UTC"
        + (" (quick)" if results["quick"] else ""),
        "",
        f"Rasa {results['machine']['rasa']}, {results['machine']['cpus']} CPUs, "
        "REST channel on 127.0.0.1. Ratio = Sprout / stock, measured back to back in this run.",
        "",
        "| context | Sprout | stock |",
        "|---|---|---|",
    ]
    for label, key in (
        ("CPU calibration before (s, lower = faster core)", "calibration_before_s"),
        ("CPU calibration after (s)", "calibration_after_s"),
        ("Other processes' CPU before start (cores)", "other_cores_before"),
    ):
        lines.append(
            f"| {label} | {_fmt(bots['sprout'].get(key), 3)} | {_fmt(bots['stock'].get(key), 3)} |"
        )
    for phase in ("serial_fresh", "serial_conversation", "concurrent", "long_conversation"):
        path = ("phases", phase, "other_cores")
        lines.append(
            f"| Other processes' CPU during {phase} (cores) | {_fmt(dig(bots['sprout'], path), 2)} "
            f"| {_fmt(dig(bots['stock'], path), 2)} |"
        )
    lines += ["", "| metric | unit | Sprout | stock | ratio |", "|---|---|---|---|---|"]
    for row in results["figures"]:
        digits = 1 if row["unit"] else 3  # accuracies are fractions
        lines.append(
            f"| {row['metric']} | {row['unit']} | {_fmt(row['sprout'], digits)} "
            f"| {_fmt(row['stock'], digits)} | {_fmt(row['ratio'], 2)} |"
        )
    lines += ["", "| target | value | pass |", "|---|---|---|"]
    for t in results["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[t["pass"]]
        lines.append(f"| {t['target']} | {_fmt(t['value'], 2)} | {verdict} |")
    concurrent = dig(bots["sprout"], ("phases", "concurrent", "server_cpu_s")) or {}
    done = len(dig(bots["sprout"], ("phases", "concurrent", "latencies_ms")) or []) or 1
    lines += [
        "",
        "Sprout CPU per message at 20 clients by process: "
        + ", ".join(f"{k} {1000 * v / done:.0f} ms" for k, v in concurrent.items()),
        "",
        "Training: "
        + str(dig(bots["sprout"], ("training", "source")))
        + "; stock's runs: "
        + ", ".join(f"{s:.0f} s" for s in dig(bots["stock"], ("training", "runs_s")) or [])
        + ".",
        "",
    ]
    lines += [f"![{p.stem}]({p.name})" for p in plots]
    return "\n".join(lines) + "\n"


def rolling_mean(values: Sequence[float], width: int) -> list[float]:
    """Mean of the last `width` values at each point (fewer at the start)."""
    means = []
    for i in range(len(values)):
        window = values[max(0, i + 1 - width) : i + 1]
        means.append(sum(window) / len(window))
    return means


def plot(results: dict[str, Any], out_dir: Path, stamp: str) -> list[Path]:
    """Latency distributions per phase, and cost over one long conversation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    bots = results["bots"]
    colors = {"sprout": "tab:green", "stock": "tab:gray"}
    phases = ("serial_fresh", "serial_conversation", "concurrent")
    fig, axes = plt.subplots(2, len(phases), figsize=(15, 8))
    for column, phase in enumerate(phases):
        series = {
            n: sorted(dig(b, ("phases", phase, "latencies_ms")) or []) for n, b in bots.items()
        }
        every = [v for values in series.values() for v in values if v > 0]
        bins = np.geomspace(min(every), max(every), 40) if every else 10
        for name, values in series.items():
            if not values:
                continue
            axes[0][column].hist(values, bins=bins, alpha=0.6, color=colors[name], label=name)
            shares = [(i + 1) / len(values) for i in range(len(values))]
            axes[1][column].plot(values, shares, color=colors[name], label=name)
        axes[0][column].set_title(f"{phase}: latency histogram")
        axes[1][column].set_title(f"{phase}: cumulative share")
        for row in (0, 1):
            axes[row][column].set_xscale("log")
            axes[row][column].set_xlabel("latency (ms, log scale)")
            axes[row][column].legend()
    fig.tight_layout()
    distribution = out_dir / f"{stamp}-latency.png"
    fig.savefig(distribution, dpi=90)
    plt.close(fig)

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    for name, bot in bots.items():
        turns = dig(bot, ("phases", "long_conversation", "per_turn")) or []
        numbers = [t["turn"] for t in turns]
        for axis, key in ((left, "latency_ms"), (right, "cpu_ms")):
            values = [t[key] for t in turns]
            axis.plot(numbers, values, color=colors[name], alpha=0.3, linewidth=0.8)
            axis.plot(
                numbers,
                rolling_mean(values, 10),
                color=colors[name],
                label=f"{name} (10-turn mean)",
            )
    left.set(title="One long conversation: latency per turn", xlabel="turn", ylabel="ms")
    right.set(title="One long conversation: server CPU per turn", xlabel="turn", ylabel="ms")
    left.legend()
    right.legend()
    fig.tight_layout()
    long = out_dir / f"{stamp}-long-conversation.png"
    fig.savefig(long, dpi=90)
    plt.close(fig)
    return [distribution, long]


def write_all(results: dict[str, Any], out_dir: Path, stamp: str) -> dict[str, Path]:
    """Write <stamp>.json, <stamp>.md and the PNGs; return where they went."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results["figures"] = figures(results)
    results["targets"] = targets(results, results["figures"])
    plots = plot(results, out_dir, stamp)
    paths = {"json": out_dir / f"{stamp}.json", "markdown": out_dir / f"{stamp}.md"}
    paths["json"].write_text(json.dumps(results, indent=1), encoding="utf-8")
    paths["markdown"].write_text(markdown(results, plots), encoding="utf-8")
    return {**paths, **{p.stem: p for p in plots}}
