"""`make bench`: Sprout and the stock `rasa init` bot under the same load, back to back.

The machine is shared, so each bot's figures sit beside a CPU calibration and the
CPU other processes used meanwhile, and Sprout is judged by ratios to stock.

    python -m bench.serve           # full run (20 s loads, 200-turn conversation)
    python -m bench.serve --quick   # 5 s loads, 50-turn conversation
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psutil
import requests
import yaml

from bench import channels, load, quality, report
from bench.stock import (
    QUIET_ENV,
    StockBot,
    ensure_stock_bot,
    rasa_version,
    running_stock,
    time_fresh_training,
    time_stock_training,
)
from tools.stack import Stack, running_stack

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "data" / "nlu_holdout.yml"
CACHE = ROOT / "build" / "bench"
# Packages whose code runs in `make train`: the speed-ups and the pipeline's components.
TRAINING_CODE = ("sprout", "intent_rules", "safety")
MB = 1_000_000
COLD_START_TRIES = 30


@dataclass(frozen=True)
class Mix:
    """What one bot is asked: single openers, whole conversations and a 10-turn cycle."""

    openers: list[str]
    conversations: list[list[str]]
    long_cycle: list[str]


@dataclass(frozen=True)
class Plan:
    """How much of each phase to run; --quick keeps development runs short."""

    fresh_messages: int
    conversations: int
    clients: int
    duration_s: float
    long_turns: int
    checkpoints: tuple[int, ...]
    phase_limit_s: float = 600.0
    channel_conversations: int = 6  # scripted conversations sent through SMS and the widget


FULL = Plan(60, 6, 20, 20.0, 200, (1, 50, 200))
QUICK = Plan(20, 2, 20, 5.0, 50, (1, 50), channel_conversations=2)

BOOKING_ANSWERS = (
    ("Maria Lopez", "Leo", "9 months", "maria@example.com", "at home please"),
    ("Sam Patel", "Ava", "2 yrs", "(212) 555-0147", "in the clinic"),
    ("Jo Kim", "Noah", "14 months", "jo.kim@example.org", "a video call is easiest"),
)
BOOKING_CONCERN = "he isn't crawling yet and hates tummy time"


def holdout_texts() -> dict[str, list[str]]:
    """Held-out parent messages by intent: realistic text the model never trained on."""
    blocks = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))["nlu"]
    texts: dict[str, list[str]] = {}
    for block in blocks:
        lines = [line.strip() for line in block["examples"].splitlines() if line.strip()]
        texts[block["intent"]] = [line.removeprefix("- ").strip() for line in lines]
    return texts


def sprout_mix(seed: int = 10) -> Mix:
    """FAQ questions, triage concerns and booking turns, in a fixed pseudo-random order."""
    rng = random.Random(seed)
    texts = holdout_texts()
    faq = [t for key, items in sorted(texts.items()) if key.startswith("faq/") for t in items[3:5]]
    concerns, booking = texts["describe_concern"], texts["book_consultation"]
    greet, thank = texts["greet"], texts["thank"]
    openers = faq + concerns + booking + greet[:4]
    rng.shuffle(openers)
    conversations = []
    for i in range(8):
        if i % 2 == 0:
            parent, child, age, contact, visit = BOOKING_ANSWERS[i // 2 % len(BOOKING_ANSWERS)]
            form = [parent, child, age, contact, visit, BOOKING_CONCERN, "yes"]
            conversations.append([greet[i], faq[i], booking[i], *form, thank[i % len(thank)]])
        else:
            conversations.append([greet[i], concerns[i], faq[i + 9], faq[i + 20], thank[0]])
    parent, child, age, contact, visit = BOOKING_ANSWERS[0]
    long_cycle = [faq[5], concerns[2], booking[0], parent, child, age, contact, visit]
    return Mix(openers, conversations, [*long_cycle, BOOKING_CONCERN, "yes"])


def stock_mix() -> Mix:
    """The init bot's own intents (greet, moods, yes/no, bot challenge, bye), same shapes."""
    greet = ["hi", "hello there", "good morning", "hey", "hi there!"]
    great = ["I'm doing great", "feeling really good today", "I am very happy", "wonderful"]
    sad = ["I feel sad", "not good at all", "I'm really unhappy", "I am feeling down"]
    yes, no = ["yes", "yes please", "sure"], ["no", "not really", "nope"]
    bye, bot = ["bye", "see you later", "goodbye"], ["are you a bot?", "am I talking to a human?"]
    pools = [greet, great, sad, yes, no, bye, bot]
    openers = []
    for i in range(60):
        pool = pools[i % len(pools)]
        openers.append(pool[i // len(pools) % len(pool)])
    conversations = []
    for i in range(8):
        g, s, h = greet[i % 5], sad[i % 4], great[i % 4]
        if i % 2 == 0:
            conversations.append([g, s, no[i % 3], bot[0], h, g, s, yes[i % 3], h, bot[1], bye[0]])
        else:
            conversations.append([g, h, bot[i % 2], s, bye[i % 3]])
    long_cycle = [greet[0], sad[0], yes[0], great[0], bot[0], greet[1], sad[1], no[0]]
    return Mix(openers, conversations, [*long_cycle, great[1], bye[0]])


def calibrate(rounds: int = 3) -> float:
    """Best time of a fixed pure-Python loop: how fast one core is right now."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best


def cpu_clock(pid: int) -> int:
    """Linux's id for the CPU-time clock of process `pid` (all its threads, exited ones too)."""
    return ((~pid) << 3) | 2  # the kernel's process-wide, scheduler-precision clock


def process_cpu_seconds(process: psutil.Process) -> float:
    """CPU seconds a process has used, to the nanosecond where Linux allows it.

    psutil's figures count clock ticks (10 ms), too coarse for a few turns of one
    conversation; the process's CPU-time clock is exact. Elsewhere, ticks it is.
    """
    try:
        return time.clock_gettime(cpu_clock(process.pid))
    except (AttributeError, OSError):
        times = process.cpu_times()
        return times.user + times.system


class Meter:
    """CPU seconds and RSS of a bot's server processes (and their children)."""

    def __init__(self, roles: dict[str, subprocess.Popen]) -> None:
        self.roles: dict[str, list[psutil.Process]] = {}
        for name, popen in roles.items():
            parent = psutil.Process(popen.pid)
            self.roles[name] = [parent, *parent.children(recursive=True)]

    def _each(self, name: str, read: Callable[[psutil.Process], float]) -> float:
        total = 0.0
        for process in self.roles[name]:
            try:
                total += read(process)
            except psutil.Error:
                continue
        return total

    def cpu(self, name: str | None = None) -> float:
        names = [name] if name else list(self.roles)
        return sum(self._each(n, process_cpu_seconds) for n in names)

    def rss_mb(self) -> dict[str, float]:
        sizes = {n: self._each(n, lambda p: p.memory_info().rss) / MB for n in self.roles}
        return {**sizes, "total": sum(sizes.values())}


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all processes)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def own_cpu() -> float:
    """CPU seconds this process (the load generator) has used."""
    return time.process_time()


@contextmanager
def cpu_window(meter: Meter | None, into: dict[str, Any]) -> Iterator[None]:
    """Fill `into` with the cores the servers, this harness and everyone else used."""
    roles = list(meter.roles) if meter else []
    before = {n: meter.cpu(n) for n in roles} if meter else {}
    busy, own, started = busy_seconds(), own_cpu(), time.perf_counter()
    yield
    wall = time.perf_counter() - started
    used = {n: meter.cpu(n) - before[n] for n in roles} if meter else {}
    server = sum(used.values())
    own_used = own_cpu() - own
    into.update(
        wall_s=wall,
        server_cpu_s={**used, "total": server},
        server_cores=server / wall if wall else None,
        harness_cores=own_used / wall if wall else None,
        other_cores=max(0.0, (busy_seconds() - busy - server - own_used) / wall) if wall else None,
    )


class PeakRss:
    """Samples RSS in the background so the peak under load is not missed."""

    def __init__(self, meter: Meter, every_s: float = 0.25, limit_s: float = 3600) -> None:
        self.meter, self.every_s, self.limit_s = meter, every_s, limit_s
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        deadline = time.monotonic() + self.limit_s
        while not self._stop.is_set() and time.monotonic() < deadline:
            for name, value in self.meter.rss_mb().items():
                self.peak[name] = max(self.peak.get(name, 0.0), value)
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _phase(result: load.LoadResult, window: dict[str, Any]) -> dict[str, Any]:
    ok = [s for s in result.samples if s.ok]
    cpu = window["server_cpu_s"]["total"]
    return {
        "messages": len(result.samples),
        "errors": result.errors,
        "empty_replies": sum(s.replies == 0 for s in ok),
        "latency_s": load.latency_summary(result.latencies()),
        "throughput_msg_s": len(ok) / result.wall_seconds if result.wall_seconds else None,
        "cpu_per_message_ms": 1000 * cpu / len(ok) if ok else None,
        **window,
        "latencies_ms": [round(1000 * s, 2) for s in result.latencies()],
    }


def _first_answer(url: str, text: str) -> bool:
    with requests.Session() as session:
        for attempt in range(COLD_START_TRIES):
            _, ok, _ = load.send(session, url, f"bench-cold-{attempt}", text)
            if ok:
                return True
            time.sleep(1)
    return False


def _long_conversation(url: str, mix: Mix, plan: Plan, meter: Meter) -> dict[str, Any]:
    turns = [mix.long_cycle[i % len(mix.long_cycle)] for i in range(plan.long_turns)]
    window: dict[str, Any] = {}
    with cpu_window(meter, window):
        result = load.serial(
            url,
            [("bench-long", t) for t in turns],
            time_limit_s=plan.phase_limit_s,
            cpu_probe=meter.cpu,
        )
    samples = result.samples
    checkpoints = {}
    for turn in plan.checkpoints:
        if turn > len(samples):
            continue
        span = samples[max(0, turn - len(mix.long_cycle)) : max(turn, len(mix.long_cycle))]
        checkpoints[str(turn)] = {
            "turn_latency_ms": 1000 * samples[turn - 1].seconds,
            "turn_cpu_ms": 1000 * (samples[turn - 1].cpu or 0.0),
            "window_turns": len(span),
            "window_latency_p50_ms": 1000 * (load.percentile([s.seconds for s in span], 50) or 0),
            "window_cpu_per_message_ms": 1000 * sum(s.cpu or 0.0 for s in span) / len(span),
        }
    phase = _phase(result, window)
    phase["per_turn"] = [
        {
            "turn": i + 1,
            "latency_ms": round(1000 * s.seconds, 2),
            "cpu_ms": round(1000 * (s.cpu or 0), 1),
        }
        for i, s in enumerate(samples)
    ]
    return {**phase, "checkpoints": checkpoints}


def run_phases(stack: Stack, mix: Mix, plan: Plan, meter: Meter, tag: str) -> dict[str, Any]:
    """Serial (fresh and in conversation), NLU only, concurrent and long, in that order."""
    phases: dict[str, Any] = {}
    fresh = [(f"{tag}-f{i}", mix.openers[i % len(mix.openers)]) for i in range(plan.fresh_messages)]
    window: dict[str, Any] = {}
    with cpu_window(meter, window):
        result = load.serial(stack.url, fresh, time_limit_s=plan.phase_limit_s)
    phases["serial_fresh"] = _phase(result, window)

    texts = [text for _, text in fresh]
    window = {}
    with cpu_window(meter, window):
        result = load.parse_serial(stack.url, texts, stack.token, time_limit_s=plan.phase_limit_s)
    phases["nlu_parse"] = _phase(result, window)

    chats = [
        (f"{tag}-s{n}", t) for n, c in enumerate(mix.conversations[: plan.conversations]) for t in c
    ]
    window = {}
    with cpu_window(meter, window):
        result = load.serial(stack.url, chats, time_limit_s=plan.phase_limit_s)
    phases["serial_conversation"] = _phase(result, window)

    window = {}
    with cpu_window(meter, window):
        result = load.concurrent(
            stack.url,
            clients=plan.clients,
            duration_s=plan.duration_s,
            script_for=lambda i: mix.conversations[i % len(mix.conversations)],
            sender_prefix=f"{tag}-load",
        )
    phases["concurrent"] = {**_phase(result, window), "clients": plan.clients}
    phases["long_conversation"] = _long_conversation(stack.url, mix, plan, meter)
    return phases


def sprout_extras(stack: Stack, mix: Mix, plan: Plan) -> dict[str, Any]:
    """Sprout's own channels (SMS, widget) and its quality figures, after the load phases."""
    scripts = mix.conversations[: plan.channel_conversations]
    extras: dict[str, Any] = {}
    for name, run in (("sms", channels.sms_round_trips), ("widget", channels.widget_round_trips)):
        result = run(stack.url, scripts, plan.phase_limit_s)
        extras[name] = {
            "messages": len(result.samples),
            "errors": sum(not s.ok for s in result.samples),
            "latency_s": load.latency_summary([s.seconds for s in result.samples if s.ok]),
            "latencies_ms": [round(1000 * s.seconds, 2) for s in result.samples if s.ok],
        }
    extras["quality"] = {
        "nlu_holdout": quality.nlu_holdout(stack.url, stack.token),
        "triage": quality.triage_cases(),
    }
    return extras


def measure_bot(
    name: str,
    launch: Callable[[], AbstractContextManager[Stack]],
    roles_of: Callable[[Stack], dict[str, subprocess.Popen]],
    mix: Mix,
    plan: Plan,
    extras: Callable[[Stack, Mix, Plan], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Launch one bot, time its cold start, then run every phase while watching RSS."""
    print(f"==> {name}: calibrating, then starting the servers", file=sys.stderr, flush=True)
    figures: dict[str, Any] = {"calibration_before_s": calibrate()}
    quiet: dict[str, Any] = {}
    with cpu_window(None, quiet):
        time.sleep(3)
    figures["other_cores_before"] = quiet["other_cores"]
    launched = time.perf_counter()
    with launch() as stack:
        figures["ready_s"] = time.perf_counter() - launched
        if not _first_answer(stack.url, mix.openers[0]):
            raise RuntimeError(f"{name} never answered its first message")
        figures["cold_start_s"] = time.perf_counter() - launched
        meter = Meter(roles_of(stack))
        load.serial(
            stack.url,
            [(f"{name}-warm{i}", t) for i, t in enumerate(mix.openers[:5])],
            time_limit_s=120,
        )
        time.sleep(3)
        figures["rss_idle_mb"] = meter.rss_mb()
        print(
            f"==> {name}: up after {figures['cold_start_s']:.0f} s; load phases",
            file=sys.stderr,
            flush=True,
        )
        with PeakRss(meter) as peak:
            figures["phases"] = run_phases(stack, mix, plan, meter, f"bench-{name}")
        figures["rss_peak_mb"] = peak.peak
        if extras is not None:
            figures.update(extras(stack, mix, plan))
    figures["calibration_after_s"] = calibrate()
    return figures


def training_code_hash() -> str:
    """A short hash of the Python code `make train` runs besides Rasa's."""
    digest = hashlib.sha256()
    for package in TRAINING_CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def time_sprout_training() -> float:
    """Seconds for the command `make train` runs, with its settings, from an empty cache."""
    from tools.model import DETERMINISTIC_TRAINING, train_command

    return time_fresh_training(train_command(), ROOT, DETERMINISTIC_TRAINING)


def paired_training(stock: StockBot, quick: bool) -> dict[str, Any]:
    """Both bots' full training, timed back to back: stock, Sprout, then stock again.

    The machine's speed drifts by a third within an hour, so a stock training timed at
    another moment is no anchor for Sprout's. Stock is timed on both sides of Sprout
    and the mean is the anchor. The record is kept for the same training inputs and
    the same training code (TRAINING_CODE), so the next run reuses it.
    """
    from tools.model import inputs_hash

    record = CACHE / f"training-{inputs_hash()}-{training_code_hash()}.json"
    if record.exists():
        return json.loads(record.read_text(encoding="utf-8"))
    if quick:
        return {"sprout_s": None, "stock_s": [], "source": "not measured in --quick runs"}
    print("==> training both bots back to back (recorded for these inputs)", file=sys.stderr)
    calibration_before = calibrate()
    stock_first = time_stock_training(stock)
    sprout = time_sprout_training()
    stock_second = time_stock_training(stock)
    saved = {
        "sprout_s": sprout,
        "stock_s": [stock_first, stock_second],
        "source": "fresh trainings (empty cache) timed back to back, stock / Sprout / stock, "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "calibration_s": [calibration_before, calibrate()],
    }
    record.write_text(json.dumps(saved), encoding="utf-8")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s loads, 50-turn conversation")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    logs = CACHE / "logs" / stamp
    logs.mkdir(parents=True, exist_ok=True)

    from tools.model import ensure_model

    model = ensure_model()
    stock = ensure_stock_bot()
    stock_figures = measure_bot(
        "stock",
        lambda: running_stock(stock, logs),
        lambda s: {"rasa": s.processes[0]},
        stock_mix(),
        plan,
    )
    with tempfile.TemporaryDirectory(prefix="sprout-bench-") as tmp:
        env = {
            **QUIET_ENV,
            "SPROUT_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "SPROUT_NOTIFY_FILE": f"{tmp}/notifications.jsonl",
            # One bench sender sends hundreds of messages a minute, far beyond any
            # parent: the per-sender limit would answer them with a "slow down" note.
            "SPROUT_RATE_LIMIT_MESSAGES": "0",
            **channels.CHANNEL_ENV,
        }
        sprout_figures = measure_bot(
            "sprout",
            lambda: running_stack(model, env=env, log_dir=logs),
            lambda s: {"actions": s.processes[0], "rasa": s.processes[1]},
            sprout_mix(),
            plan,
            sprout_extras,
        )
    stock_figures["model_mb"] = stock.model.stat().st_size / MB
    try:
        trainings = paired_training(stock, args.quick)
    except (subprocess.SubprocessError, OSError) as error:
        trainings = {"sprout_s": None, "stock_s": [], "source": f"timing failed: {error}"}
    stock_runs = trainings["stock_s"]
    stock_figures["training"] = {
        "seconds": sum(stock_runs) / len(stock_runs) if stock_runs else None,
        "runs_s": stock_runs,
        "source": trainings["source"],
    }
    sprout_figures["training"] = {"seconds": trainings["sprout_s"], "source": trainings["source"]}
    sprout_figures["model_mb"] = model.stat().st_size / MB

    results = {
        "measured_at": datetime.now(timezone.utc).isoformat(),
        "quick": args.quick,
        "plan": plan.__dict__,
        "machine": {
            "cpus": psutil.cpu_count(),
            "rasa": rasa_version(),
            "python": sys.version.split()[0],
        },
        "models": {
            "sprout": str(model.relative_to(ROOT)),
            "stock": str(stock.model.relative_to(ROOT)),
        },
        "bots": {"stock": stock_figures, "sprout": sprout_figures},
    }
    written = report.write_all(results, ROOT / "bench" / "results", stamp)
    print(written["markdown"].read_text(encoding="utf-8"))
    for path in written.values():
        print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
