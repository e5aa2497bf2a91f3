"""`make bench-cluster`: 1 vs 2 Rasa servers behind HAProxy, and what the production stores cost.

Three runs on this (2-core, shared) machine, each with the same conversation mix
and load generator as `make bench`:

1. default profile, one Rasa server, in-memory tracker: serial turns and 20 clients;
2. production profile (PostgreSQL, Redis, RabbitMQ) behind HAProxy with two Rasa
   servers: serial turns with one server, then 20 and 50 clients with one server
   (the other in maintenance) and with both;
3. production profile, one Rasa server under cProfile, 20 clients: where its time goes.

Every phase records the CPU each group of processes used, so the report can say
what limits throughput. Results: bench/results/cluster.json and cluster.md.

    python -m bench.cluster           # 20 s loads
    python -m bench.cluster --quick   # 8 s loads, fewer serial turns
"""

from __future__ import annotations

import argparse
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

import psutil

from bench import load
from bench.serve import busy_seconds, own_cpu, sprout_mix
from bench.stock import QUIET_ENV
from tools.cluster import Cluster, running_cluster
from tools.scratch import scratch_services
from tools.stack import running_stack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = ROOT / "build" / "bench" / "cluster-logs"
CLIENT_COUNTS = (20, 50)

# Where a Rasa server's event-loop time goes: (label, file fragment, function name).
PROFILE_AREAS = (
    ("tracker store: load (PostgreSQL)", "rasa/core/tracker_store.py", "retrieve"),
    ("tracker store: save (PostgreSQL)", "rasa/core/tracker_store.py", "save"),
    ("lock store: take a ticket (Redis)", "lock_store.py", "issue_ticket"),
    ("lock store: wait and release (Redis)", "lock_store.py", "_acquire_lock"),
    ("NLU (parse_message)", "rasa/core/processor.py", "parse_message"),
    ("policies (predict next action)", "rasa/core/processor.py", "_predict_next_with_tracker"),
    ("custom actions (HTTP call + response check)", "rasa/core/actions/action.py", "run"),
    ("tracker session start / fetch", "rasa/core/processor.py", "fetch_tracker_and_update_session"),
    ("event broker publish (RabbitMQ)", "rasa/core/brokers/pika.py", "publish"),
)


class Groups:
    """CPU seconds of process groups: each Rasa server, action servers, HAProxy, services."""

    SERVICE_NAMES: ClassVar[dict[str, str]] = {
        "postgres": "postgresql",
        "redis-server": "redis",
        "beam.smp": "rabbitmq",
    }

    def __init__(self, roles: dict[str, list[int]]) -> None:
        self.roles = {name: [psutil.Process(pid) for pid in pids] for name, pids in roles.items()}
        for process in psutil.process_iter(["name"]):
            group = self.SERVICE_NAMES.get(process.info["name"] or "")
            if group:
                self.roles.setdefault(group, []).append(process)

    def cpu(self) -> dict[str, float]:
        totals = {}
        for name, processes in self.roles.items():
            total = 0.0
            for process in processes:
                try:
                    members = [process, *process.children(recursive=True)]
                    total += sum(p.cpu_times().user + p.cpu_times().system for p in members)
                except psutil.Error:
                    continue
            totals[name] = total
        return totals


@contextmanager
def cores(groups: Groups, into: dict[str, Any]) -> Iterator[None]:
    """Fill `into` with the cores each group, this harness and everything else used."""
    before, busy, own, started = groups.cpu(), busy_seconds(), own_cpu(), time.perf_counter()
    yield
    wall = time.perf_counter() - started
    after = groups.cpu()
    used = {name: (after[name] - before.get(name, 0.0)) / wall for name in after}
    used["load generator"] = (own_cpu() - own) / wall
    used["everything else"] = max(0.0, (busy_seconds() - busy) / wall - sum(used.values()))
    into["cores"] = {name: round(value, 3) for name, value in used.items()}
    into["cores_total"] = round((busy_seconds() - busy) / wall, 3)


def summarise(result: load.LoadResult) -> dict[str, Any]:
    ok = result.latencies()
    return {
        "messages": len(result.samples),
        "errors": result.errors,
        "throughput_msg_s": len(ok) / result.wall_seconds if result.wall_seconds else None,
        "latency_s": load.latency_summary(ok),
    }


def serial_phase(url: str, tag: str, turns: int, groups: Groups) -> dict[str, Any]:
    """Whole scripted conversations, one message at a time."""
    mix = sprout_mix()
    messages = [
        (f"{tag}-s{n}", text) for n, convo in enumerate(mix.conversations) for text in convo
    ][:turns]
    figures: dict[str, Any] = {}
    with cores(groups, figures):
        result = load.serial(url, messages, time_limit_s=300)
    return {**summarise(result), **figures}


def load_phase(url: str, tag: str, clients: int, seconds: float, groups: Groups) -> dict[str, Any]:
    conversations = sprout_mix().conversations
    figures: dict[str, Any] = {}
    with cores(groups, figures):
        result = load.concurrent(
            url,
            clients=clients,
            duration_s=seconds,
            script_for=lambda i: conversations[i % len(conversations)],
            sender_prefix=tag,
        )
    return {**summarise(result), "clients": clients, **figures}


def default_profile(model: Path, work: Path, plan: dict[str, Any]) -> dict[str, Any]:
    env = {
        **QUIET_ENV,
        "SPROUT_PROFILE": "default",
        "SPROUT_DATABASE_URL": f"sqlite:///{work}/bench.db",
        "SPROUT_NOTIFY_FILE": f"{work}/notifications.jsonl",
    }
    print("==> default profile: one Rasa server, in-memory tracker", file=sys.stderr, flush=True)
    with running_stack(model, env=env, log_dir=LOGS) as stack:
        groups = Groups(
            {"rasa-0": [stack.processes[1].pid], "action servers": [stack.processes[0].pid]}
        )
        serial_phase(stack.url, "bench-default-warm", plan["serial_turns"], groups)
        return {
            "serial": serial_phase(stack.url, "bench-default", plan["serial_turns"], groups),
            "clients_20": load_phase(stack.url, "bench-default-c20", 20, plan["seconds"], groups),
        }


def cluster_groups(cluster: Cluster) -> Groups:
    return Groups(
        {
            **{r.name: [r.process.pid] for r in cluster.rasa},
            "action servers": [a.process.pid for a in cluster.actions],
            "haproxy": [cluster.balancer.pid],
        }
    )


def production_cluster(model: Path, work: Path, plan: dict[str, Any]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with scratch_services("bench") as scratch:
        env = {**QUIET_ENV, **scratch.env, "SPROUT_NOTIFY_FILE": f"{work}/notifications.jsonl"}
        print(
            "==> production profile: two Rasa servers behind HAProxy", file=sys.stderr, flush=True
        )
        with running_cluster(model, rasa_instances=2, env=env, log_dir=LOGS) as cluster:
            groups = cluster_groups(cluster)
            load.serial(cluster.url, [("warm", "hi")] * 4, time_limit_s=120)
            cluster.set_rasa_enabled("rasa-1", False)
            cluster.wait_for_states({"rasa/rasa-1": "MAINT"})
            direct = f"http://127.0.0.1:{cluster.rasa[0].port}"
            serial_phase(direct, "bench-prod-warm", plan["serial_turns"], groups)
            figures["serial_direct"] = serial_phase(
                direct, "bench-prod-direct", plan["serial_turns"], groups
            )
            figures["serial_via_haproxy"] = serial_phase(
                cluster.url, "bench-prod-lb", plan["serial_turns"], groups
            )
            for instances in (1, 2):
                if instances == 2:
                    cluster.set_rasa_enabled("rasa-1", True)
                    cluster.wait_for_states({"rasa/rasa-1": "UP"})
                for clients in CLIENT_COUNTS:
                    print(
                        f"==> {instances} Rasa server(s), {clients} clients",
                        file=sys.stderr,
                        flush=True,
                    )
                    figures[f"rasa_{instances}_clients_{clients}"] = load_phase(
                        cluster.url,
                        f"bench-prod-r{instances}-c{clients}",
                        clients,
                        plan["seconds"],
                        groups,
                    )
    return figures


def profiled_run(model: Path, work: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """One Rasa server under cProfile with 20 clients, then its time by area."""
    profiles = LOGS / "profile"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "rasa-0.prof").unlink(missing_ok=True)
    with scratch_services("benchprof") as scratch:
        env = {**QUIET_ENV, **scratch.env, "SPROUT_NOTIFY_FILE": f"{work}/notifications.jsonl"}
        print("==> production profile, one Rasa server under cProfile", file=sys.stderr, flush=True)
        with running_cluster(
            model, rasa_instances=1, env=env, log_dir=LOGS, profile_dir=profiles
        ) as cluster:
            load.serial(cluster.url, [("warm", "hi")] * 4, time_limit_s=120)
            phase = load_phase(
                cluster.url, "bench-prof", 20, plan["seconds"], cluster_groups(cluster)
            )
    dump = profiles / "rasa-0.prof"
    if not dump.exists():
        return {
            "phase": phase,
            "error": "cProfile wrote no profile (the server did not exit cleanly)",
        }
    return {"phase": phase, **read_profile(dump)}


def read_profile(dump: Path) -> dict[str, Any]:
    """Cumulative seconds per area, and the functions with the most own time."""
    stats = pstats.Stats(str(dump))
    table: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    serve = [ct for (_, _, name), (*_, ct, _) in table.items() if name == "handle_message"]
    serving = max(serve) if serve else total
    areas = {}
    for label, fragment, function in PROFILE_AREAS:
        # max, not sum: Rasa wraps its tracker store (fail-safe, awaitable), and each
        # wrapper's time already includes the store it wraps.
        cumulative = max(
            (
                ct
                for (file, _, name), (_, _, _, ct, _) in table.items()
                if fragment in file and name == function
            ),
            default=0.0,
        )
        areas[label] = {"seconds": round(cumulative, 2), "share": round(cumulative / serving, 3)}
    own = sorted(table.items(), key=lambda item: item[1][2], reverse=True)[:15]
    top = [
        {
            "function": f"{Path(file).parent.name}/{Path(file).name}:{line} {name}",
            "own_s": round(tt, 2),
            "share": round(tt / total, 3),
        }
        for (file, line, name), (_, _, tt, _, _) in own
    ]
    return {
        "profiled_seconds": round(total, 2),
        "handle_message_s": round(serving, 2),
        "areas": areas,
        "top_own_time": top,
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def derive(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures, computed once here for the JSON and the table."""
    prod, default = results["production"], results["default"]
    out: dict[str, Any] = {}
    for clients in CLIENT_COUNTS:
        one, two = prod[f"rasa_1_clients_{clients}"], prod[f"rasa_2_clients_{clients}"]
        out[f"throughput_ratio_2_vs_1_at_{clients}"] = ratio(
            two["throughput_msg_s"], one["throughput_msg_s"]
        )
        out[f"p95_ratio_2_vs_1_at_{clients}"] = ratio(
            two["latency_s"]["p95"], one["latency_s"]["p95"]
        )
    d, p, lb = default["serial"], prod["serial_direct"], prod["serial_via_haproxy"]
    for q in ("p50", "p95"):
        out[f"stores_added_ms_{q}"] = round(1000 * (p["latency_s"][q] - d["latency_s"][q]), 1)
        out[f"haproxy_added_ms_{q}"] = round(1000 * (lb["latency_s"][q] - p["latency_s"][q]), 1)
    out["throughput_ratio_production_vs_default_at_20"] = ratio(
        prod["rasa_1_clients_20"]["throughput_msg_s"], default["clients_20"]["throughput_msg_s"]
    )
    return out


def ms(value: float | None) -> str:
    return "-" if value is None else f"{1000 * value:.0f} ms"


def markdown(results: dict[str, Any]) -> str:
    prod, default, derived = results["production"], results["default"], results["derived"]
    lines = [
        f"# Cluster benchmark ({results['measured_at'][:16]} UTC, "
        f"{results['machine']['cpus']} cores)",
        "",
        "| run | clients | msg/s | p50 | p95 | errors | cores used (Rasa / actions / PG / other) |",
        "|---|---|---|---|---|---|---|",
    ]

    def row(label: str, phase: dict[str, Any]) -> None:
        c = phase["cores"]
        rasa = sum(v for k, v in c.items() if k.startswith("rasa-"))
        lines.append(
            f"| {label} | {phase.get('clients', 1)} | {phase['throughput_msg_s']:.1f} | "
            f"{ms(phase['latency_s']['p50'])} | {ms(phase['latency_s']['p95'])} | "
            f"{phase['errors']} | {rasa:.2f} / {c.get('action servers', 0):.2f} / "
            f"{c.get('postgresql', 0):.2f} / {c['everything else']:.2f} "
            f"(total {phase['cores_total']:.2f}) |"
        )

    row("default profile, serial", default["serial"])
    row("default profile", default["clients_20"])
    row("production, 1 Rasa direct, serial", prod["serial_direct"])
    row("production, 1 Rasa via HAProxy, serial", prod["serial_via_haproxy"])
    for instances in (1, 2):
        for clients in CLIENT_COUNTS:
            row(f"production, {instances} Rasa", prod[f"rasa_{instances}_clients_{clients}"])
    lines += [
        "",
        f"- Throughput 2 vs 1 Rasa servers: x{derived['throughput_ratio_2_vs_1_at_20']} at 20 "
        f"clients, x{derived['throughput_ratio_2_vs_1_at_50']} at 50 (p95 ratio "
        f"{derived['p95_ratio_2_vs_1_at_20']} / {derived['p95_ratio_2_vs_1_at_50']}).",
        f"- Production stores add {derived['stores_added_ms_p50']} ms at p50 and "
        f"{derived['stores_added_ms_p95']} ms at p95 per serial turn; HAProxy adds "
        f"{derived['haproxy_added_ms_p50']} ms at p50.",
        f"- Throughput at 20 clients, production / default: "
        f"x{derived['throughput_ratio_production_vs_default_at_20']}.",
    ]
    profile = results.get("profile") or {}
    if profile.get("areas"):
        lines += [
            "",
            "## Where one Rasa server's time goes (cProfile, 20 clients)",
            "",
            f"Shares of the {profile['handle_message_s']} s the event loop spent in "
            "`handle_message` (areas overlap: NLU runs inside session fetch, etc.).",
            "",
        ]
        lines += ["| area | cumulative s | share |", "|---|---|---|"]
        for label, value in profile["areas"].items():
            lines.append(f"| {label} | {value['seconds']} | {100 * value['share']:.0f} % |")
        lines += ["", "Most own time (whole run, start-up included):", ""]
        for item in profile["top_own_time"][:10]:
            lines.append(f"- {item['function']}: {item['own_s']} s ({100 * item['share']:.0f} %)")
    elif profile.get("error"):
        lines += ["", f"Profile: {profile['error']}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 s loads, fewer serial turns")
    parser.add_argument(
        "--runs",
        default="default,production,profile",
        help="comma-separated subset to (re)run; the others are kept from cluster.json",
    )
    args = parser.parse_args(argv)
    plan = (
        {"seconds": 8.0, "serial_turns": 20}
        if args.quick
        else {"seconds": 20.0, "serial_turns": 40}
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)

    from tools.model import ensure_model

    model = ensure_model()
    wanted = [name.strip() for name in args.runs.split(",") if name.strip()]
    known: dict[str, Callable[[Path, Path, dict[str, Any]], dict[str, Any]]] = {
        "default": default_profile,
        "production": production_cluster,
        "profile": profiled_run,
    }
    unknown = [name for name in wanted if name not in known]
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    previous = RESULTS / "cluster.json"
    results: dict[str, Any] = (
        json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
    )
    if {"default", "production"} - set(wanted) and not {"default", "production"} <= set(results):
        parser.error("no earlier cluster.json to take the other runs from; run them all")
    results.update(
        measured_at=datetime.now(timezone.utc).isoformat(),
        quick=args.quick,
        plan=plan,
        machine={"cpus": psutil.cpu_count(), "python": sys.version.split()[0]},
    )
    for name in wanted:
        run = known[name]
        with tempfile.TemporaryDirectory(prefix=f"sprout-bench-{name}-") as tmp:
            results[name] = run(model, Path(tmp), plan)
        results[name]["measured_at"] = datetime.now(timezone.utc).isoformat()
    results["derived"] = derive(results)
    (RESULTS / "cluster.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    text = markdown(results)
    (RESULTS / "cluster.md").write_text(text, encoding="utf-8")
    print(text)
    print("wrote bench/results/cluster.json and cluster.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
