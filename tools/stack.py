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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 420


@dataclass(frozen=True)
class Stack:
    """A running assistant: where to reach it and how to authenticate."""

    url: str
    token: str
    action_url: str
    processes: tuple[subprocess.Popen, ...]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, processes: list[subprocess.Popen], timeout: float) -> None:
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


def _stop(processes: list[subprocess.Popen]) -> None:
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
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
        cwd=ROOT,
        env={**env, "SANIC_HOST": "127.0.0.1"},
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def wait_for_action_server(action_port: int, process: subprocess.Popen) -> None:
    _wait_until_up(f"http://127.0.0.1:{action_port}/health", [process], STARTUP_TIMEOUT_S)


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
) -> Iterator[Stack]:
    """Run both servers until the block ends; logs go to log_dir (or stderr)."""
    port = port or free_port()
    action_port = action_port or free_port()
    token = token or secrets.token_hex(16)  # never starts with "-", which rasa would read as a flag
    child_env = {**os.environ, "SANIC_HOST": "127.0.0.1", **(env or {})}
    python = sys.executable

    with tempfile.TemporaryDirectory(prefix="sprout-") as tmp:
        endpoints = Path(tmp) / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n',
            encoding="utf-8",
        )
        logs = []
        for name in ("actions", "rasa"):
            logs.append(open(log_dir / f"{name}.log", "ab") if log_dir else None)  # noqa: SIM115
        processes = [
            start_action_server(action_port, child_env, logs[0]),
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "rasa",
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
                ],
                cwd=ROOT,
                env={**child_env, "SANIC_HOST": host},
                stdout=logs[1],
                stderr=subprocess.STDOUT if logs[1] else None,
            ),
        ]
        try:
            wait_for_action_server(action_port, processes[0])
            _wait_until_up(f"http://127.0.0.1:{port}/", processes, STARTUP_TIMEOUT_S)
            yield Stack(
                url=f"http://127.0.0.1:{port}",
                token=token,
                action_url=f"http://127.0.0.1:{action_port}",
                processes=tuple(processes),
            )
        finally:
            _stop(processes)
            for log in logs:
                if log:
                    log.close()
