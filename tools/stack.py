"""Start the action server and the Rasa server together, and stop them together.

Used by `make run` (tools/serve.py), the end-to-end tests and the benchmarks, so
all three run the assistant exactly the same way.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tools import profiles

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 420


@dataclass(frozen=True)
class Stack:
    """A running assistant: where to reach it and how to authenticate."""

    url: str
    token: str
    action_url: str
    processes: tuple[subprocess.Popen, ...]


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """Let SIGTERM (from a process manager or `kill`) shut the servers down like Ctrl-C."""
    signal.signal(signal.SIGTERM, _raise_interrupt)


def serve_until_stopped(alive: Callable[[], bool], stopped_note: str) -> None:
    """Block until Ctrl-C or SIGTERM, or until `alive()` turns false (then print the note).

    Afterwards a second Ctrl-C is ignored: it must not cut the shutdown short and leave
    a server behind.
    """
    try:
        while alive():
            time.sleep(1)
        print(stopped_note, file=sys.stderr)
    except KeyboardInterrupt:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("Stopping...", flush=True)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, processes: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop_processes(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_action_server(
    action_port: int, env: dict[str, str], log: IO[bytes] | None = None
) -> subprocess.Popen:
    """Start Sprout's action server on 127.0.0.1:action_port."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)),
            *("--logging-config_file", str(ROOT / "sprout" / "logging.yml")),  # SDK's spelling
        ],
        cwd=ROOT,
        env={**env, "SANIC_HOST": "127.0.0.1"},
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def wait_for_action_server(action_port: int, process: subprocess.Popen) -> None:
    wait_until_up(f"http://127.0.0.1:{action_port}/health", [process], STARTUP_TIMEOUT_S)


def endpoints_text(action_url: str, extra_endpoints: str = "") -> str:
    """The endpoints file: the action server, then any stores a profile adds."""
    return (
        f'action_endpoint:\n  url: "{action_url}/webhook"\n  enable_selective_domain: true\n'
        + extra_endpoints
    )


def profile_endpoints(env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Stores of the profile SPROUT_PROFILE names in env, and the variables it adds.

    Raises ProfileError (a clear sentence) before anything starts when the
    profile's settings are missing or wrong.
    """
    return profiles.endpoints_for(env), profiles.child_env(env)


def start_rasa_server(
    model: Path,
    *,
    port: int,
    endpoints: Path,
    token: str,
    env: dict[str, str],
    log: IO[bytes] | None = None,
    host: str = "127.0.0.1",
    profile_to: Path | None = None,
) -> subprocess.Popen:
    """Start one Rasa server with the REST API and Sprout's channels.

    With profile_to it runs under cProfile, which writes there when the server stops.
    """
    profiler = ["-m", "cProfile", "-o", str(profile_to)] if profile_to else []
    return subprocess.Popen(
        [
            sys.executable,
            *profiler,
            "-m",
            "sprout.server",  # `rasa` with Sprout's speed-ups
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
            "--enable-api",
            "--auth-token",
            token,
            "--interface",
            host,
            "--port",
            str(port),
            "--cors",
            "http://localhost",
            "--logging-config-file",
            str(ROOT / "sprout" / "logging.yml"),
        ],
        cwd=ROOT,
        env={**env, "SANIC_HOST": host},
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def wait_for_rasa(port: int, processes: list[subprocess.Popen]) -> None:
    """Until Rasa answers `GET /`, which happens only once its model is loaded."""
    wait_until_up(f"http://127.0.0.1:{port}/", processes, STARTUP_TIMEOUT_S)


@contextmanager
def running_stack(
    model: Path,
    *,
    port: int | None = None,
    action_port: int | None = None,
    token: str | None = None,
    env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    host: str = "127.0.0.1",
    extra_endpoints: str = "",
) -> Iterator[Stack]:
    """Run both servers until the block ends; logs go to log_dir (or stderr).

    The stores come from the profile SPROUT_PROFILE names (in env or the
    environment; tools/profiles.py): in-process ones for the default profile,
    PostgreSQL, Redis and RabbitMQ for `production`. extra_endpoints is YAML
    appended after them.
    """
    port = port or free_port()
    action_port = action_port or free_port()
    token = token or secrets.token_hex(16)  # never starts with "-", which rasa would read as a flag
    child_env = {**os.environ, "SANIC_HOST": "127.0.0.1", **(env or {})}
    stores, added = profile_endpoints(child_env)
    child_env.update(added)

    with tempfile.TemporaryDirectory(prefix="sprout-") as tmp:
        endpoints = Path(tmp) / "endpoints.yml"
        endpoints.write_text(
            endpoints_text(f"http://127.0.0.1:{action_port}", stores + extra_endpoints),
            encoding="utf-8",
        )
        logs = []
        for name in ("actions", "rasa"):
            logs.append(open(log_dir / f"{name}.log", "ab") if log_dir else None)  # noqa: SIM115
        processes = [start_action_server(action_port, child_env, logs[0])]
        try:
            processes.append(
                start_rasa_server(
                    model,
                    port=port,
                    endpoints=endpoints,
                    token=token,
                    env=child_env,
                    log=logs[1],
                    host=host,
                )
            )
            wait_for_action_server(action_port, processes[0])
            wait_for_rasa(port, processes)
            yield Stack(
                url=f"http://127.0.0.1:{port}",
                token=token,
                action_url=f"http://127.0.0.1:{action_port}",
                processes=tuple(processes),
            )
        finally:
            stop_processes(processes)
            for log in logs:
                if log:
                    log.close()
