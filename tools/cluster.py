"""N Rasa servers and M action servers behind HAProxy, on one machine.

`make run-cluster` starts one for people to try; the cluster tests and
`make bench-cluster` start their own. Several Rasa servers must share their
conversations, so the cluster runs the production profile (tools/profiles.py):
PostgreSQL tracker store, Redis lock store, RabbitMQ event broker.

    python -m tools.cluster --rasa 2 --actions 1
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import IO

from tools import profiles
from tools.stack import (
    ROOT,
    endpoints_text,
    free_port,
    profile_endpoints,
    serve_until_stopped,
    start_action_server,
    start_rasa_server,
    stop_on_sigterm,
    stop_processes,
    wait_for_action_server,
    wait_for_rasa,
)

TEMPLATE = ROOT / "deploy" / "haproxy.cfg.tmpl"
INSTANCE_HEADER = "X-Sprout-Instance"
UP_TIMEOUT_S = 60


class ClusterError(RuntimeError):
    """The cluster cannot start; the message says why."""


@dataclass(frozen=True)
class Instance:
    """One server process behind the load balancer."""

    name: str
    port: int
    process: subprocess.Popen


@dataclass(frozen=True)
class Cluster:
    """A running cluster: the balancer's address, the API token and every process."""

    url: str
    token: str
    rasa: tuple[Instance, ...]
    actions: tuple[Instance, ...]
    balancer: subprocess.Popen
    stats_url: str
    admin_socket: Path

    def server_states(self) -> dict[str, str]:
        """HAProxy's view, e.g. {"rasa/rasa-0": "UP", "rasa/rasa-1": "DOWN"}."""
        with urllib.request.urlopen(f"{self.stats_url};csv", timeout=5) as response:
            text = response.read().decode("utf-8").lstrip("# ")
        states = {}
        for row in csv.DictReader(io.StringIO(text)):
            if row["svname"] not in ("FRONTEND", "BACKEND"):
                states[f"{row['pxname']}/{row['svname']}"] = row["status"].split()[0]
        return states

    def wait_for_states(self, wanted: dict[str, str], timeout: float = UP_TIMEOUT_S) -> None:
        """Until HAProxy reports each named server in the wanted state."""
        deadline = time.monotonic() + timeout
        while True:
            states = self.server_states()
            if all(states.get(name) == state for name, state in wanted.items()):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"HAProxy states {states}, wanted {wanted}")
            time.sleep(0.5)

    def admin(self, command: str) -> str:
        """One command on HAProxy's runtime API (e.g. `set server rasa/rasa-1 state maint`)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.admin_socket))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(4096):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def set_rasa_enabled(self, name: str, enabled: bool) -> None:
        """Put a Rasa server into (or out of) maintenance: HAProxy stops sending to it."""
        self.admin(f"set server rasa/{name} state {'ready' if enabled else 'maint'}")

    def kill_rasa(self, name: str) -> int:
        """SIGKILL one Rasa server by its PID, as a crash would; returns the PID."""
        instance = next(i for i in self.rasa if i.name == name)
        os.kill(instance.process.pid, signal.SIGKILL)
        instance.process.wait(timeout=30)
        return instance.process.pid


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if not found:
        raise ClusterError("HAProxy is not installed; run `make haproxy` (Debian's package)")
    return found


def render_config(
    *,
    bind: str,
    port: int,
    action_port: int,
    stats_port: int,
    admin_socket: Path,
    rasa_ports: dict[str, int],
    action_ports: dict[str, int],
) -> str:
    """deploy/haproxy.cfg.tmpl with this cluster's addresses filled in."""

    def servers(ports: dict[str, int]) -> str:
        return "\n".join(
            f"    server {name} 127.0.0.1:{port} check" for name, port in ports.items()
        )

    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind,
        port=port,
        action_port=action_port,
        stats_port=stats_port,
        admin_socket=admin_socket,
        rasa_servers=servers(rasa_ports),
        action_servers=servers(action_ports),
    )


def _check_config(binary: str, config: Path) -> None:
    checked = subprocess.run(
        [binary, "-c", "-q", "-f", str(config)], capture_output=True, text=True, timeout=30
    )
    if checked.returncode != 0:
        raise ClusterError(f"HAProxy rejected its configuration: {checked.stderr.strip()}")


def _log(log_dir: Path | None, name: str, stack: ExitStack) -> IO[bytes] | None:
    if not log_dir:
        return None
    return stack.enter_context(open(log_dir / f"{name}.log", "ab"))


@contextmanager
def running_cluster(
    model: Path,
    *,
    rasa_instances: int = 2,
    action_servers: int = 1,
    port: int | None = None,
    token: str | None = None,
    env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    host: str = "127.0.0.1",
    profile_dir: Path | None = None,
) -> Iterator[Cluster]:
    """Start every server at once (model loading dominates), then HAProxy; stop all at the end.

    With profile_dir each Rasa server runs under cProfile and leaves <name>.prof there.
    """
    if rasa_instances < 1 or action_servers < 1:
        raise ClusterError("a cluster needs at least one Rasa server and one action server")
    child_env = {**os.environ, "SANIC_HOST": "127.0.0.1", **(env or {})}
    if profiles.profile_name(child_env) != profiles.PRODUCTION:
        raise ClusterError(
            "a cluster shares conversations between Rasa servers, so it needs "
            "SPROUT_PROFILE=production (PostgreSQL, Redis, RabbitMQ)"
        )
    stores, added = profile_endpoints(child_env)
    child_env.update(added)
    binary = haproxy_binary()
    port = port or free_port()
    token = token or secrets.token_hex(16)
    lb_action_port, stats_port = free_port(), free_port()
    rasa_ports = {f"rasa-{i}": free_port() for i in range(rasa_instances)}
    action_ports = {f"actions-{i}": free_port() for i in range(action_servers)}

    with tempfile.TemporaryDirectory(prefix="sprout-cluster-") as tmp, ExitStack() as logs:
        work = Path(tmp)
        endpoints = work / "endpoints.yml"
        endpoints.write_text(
            endpoints_text(f"http://127.0.0.1:{lb_action_port}", stores), encoding="utf-8"
        )
        config = work / "haproxy.cfg"
        admin_socket = work / "haproxy.sock"
        config.write_text(
            render_config(
                bind=host,
                port=port,
                action_port=lb_action_port,
                stats_port=stats_port,
                admin_socket=admin_socket,
                rasa_ports=rasa_ports,
                action_ports=action_ports,
            ),
            encoding="utf-8",
        )
        _check_config(binary, config)
        processes: list[subprocess.Popen] = []
        try:
            actions = tuple(
                Instance(name, p, start_action_server(p, child_env, _log(log_dir, name, logs)))
                for name, p in action_ports.items()
            )
            processes += [a.process for a in actions]
            rasa = tuple(
                Instance(
                    name,
                    p,
                    start_rasa_server(
                        model,
                        port=p,
                        endpoints=endpoints,
                        token=token,
                        env=child_env,
                        log=_log(log_dir, name, logs),
                        profile_to=profile_dir / f"{name}.prof" if profile_dir else None,
                    ),
                )
                for name, p in rasa_ports.items()
            )
            processes += [r.process for r in rasa]
            balancer_log = _log(log_dir, "haproxy", logs)
            balancer = subprocess.Popen(
                [binary, "-db", "-f", str(config)],
                stdout=balancer_log,
                stderr=subprocess.STDOUT if balancer_log else None,
            )
            processes.append(balancer)
            for a in actions:
                wait_for_action_server(a.port, a.process)
            for r in rasa:
                wait_for_rasa(r.port, processes)
            cluster = Cluster(
                url=f"http://127.0.0.1:{port}",
                token=token,
                rasa=rasa,
                actions=actions,
                balancer=balancer,
                stats_url=f"http://127.0.0.1:{stats_port}/stats",
                admin_socket=admin_socket,
            )
            cluster.wait_for_states(
                {f"rasa/{n}": "UP" for n in rasa_ports}
                | {f"actions/{n}": "UP" for n in action_ports}
            )
            yield cluster
        finally:
            stop_processes(processes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Environment (SPROUT_PROFILE=production):\n" + profiles.describe(),
    )
    parser.add_argument("--rasa", type=int, default=int(os.environ.get("SPROUT_CLUSTER_RASA", 2)))
    parser.add_argument(
        "--actions", type=int, default=int(os.environ.get("SPROUT_CLUSTER_ACTIONS", 1))
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("SPROUT_PORT", 5005)))
    args = parser.parse_args(argv)

    from tools.model import model_path

    model = model_path()
    if not model.exists():
        print("No trained model for the current data; run `make train` first.", file=sys.stderr)
        return 1
    log_dir = ROOT / "var" / "cluster"
    log_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"==> Starting {args.rasa} Rasa and {args.actions} action server(s) behind HAProxy "
        f"(logs in {log_dir.relative_to(ROOT)}; loading the model takes a few minutes)",
        flush=True,
    )
    try:
        with running_cluster(
            model,
            rasa_instances=args.rasa,
            action_servers=args.actions,
            port=args.port,
            token=os.environ.get("SPROUT_API_TOKEN"),
            host=os.environ.get("SPROUT_HOST", "127.0.0.1"),
            log_dir=log_dir,
        ) as cluster:
            print(
                f"\nSprout cluster at {cluster.url} (POST /webhooks/rest/webhook)\n"
                f"HAProxy status page: {cluster.stats_url}\n"
                f"HTTP API token: {cluster.token}\n"
                "Servers: "
                + ", ".join(f"{i.name} pid {i.process.pid}" for i in cluster.rasa + cluster.actions)
                + "\nPress Ctrl-C to stop.\n",
                flush=True,
            )
            serve_until_stopped(
                lambda: cluster.balancer.poll() is None,
                "HAProxy stopped unexpectedly; shutting down.",
            )
    except (profiles.ProfileError, ClusterError) as error:
        print(f"Cannot start the cluster: {error}.", file=sys.stderr)
        return 2
    print("Stopped.")
    return 0


if __name__ == "__main__":
    stop_on_sigterm()
    sys.exit(main())
