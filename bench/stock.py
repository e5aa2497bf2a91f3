"""The anchor: the stock `rasa init` bot, trained once per Rasa version and served as-is.

Every speed figure for Sprout is reported as a ratio to this bot measured in the
same run, because the machine is shared and absolute numbers drift.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.stack import STARTUP_TIMEOUT_S, Stack, free_port, stop_processes, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench" / "stock"
TRAIN_TIMEOUT_S = 1800
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": "127.0.0.1"}


@dataclass(frozen=True)
class StockBot:
    """A trained stock project: where it lives and its model."""

    project: Path
    model: Path


def rasa_version() -> str:
    from rasa.version import __version__

    return __version__


def ensure_stock_bot() -> StockBot:
    """The cached stock bot for this Rasa version; `rasa init` trains it when missing."""
    project = CACHE / f"rasa-{rasa_version()}"
    record = project / "bench-train.json"
    if record.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        model = project / saved["model"]
        if model.exists():
            return StockBot(project, model)
    print("training the stock `rasa init` bot (cached afterwards) ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="stock-rasa-") as tmp:
        subprocess.run(
            [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", tmp],
            cwd=tmp,
            env={**os.environ, **QUIET_ENV},
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=TRAIN_TIMEOUT_S,
        )
        if project.exists():
            shutil.rmtree(project)
        shutil.copytree(tmp, project, ignore=shutil.ignore_patterns(".rasa", "__pycache__"))
    model = max((project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    record.write_text(json.dumps({"model": str(model.relative_to(project))}), encoding="utf-8")
    return StockBot(project, model)


def time_fresh_training(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds for a training command run from an empty cache, its output discarded."""
    with tempfile.TemporaryDirectory(prefix="timed-train-") as tmp:
        started = time.perf_counter()
        subprocess.run(
            [*command, "--out", tmp],
            cwd=cwd,
            env={**os.environ, **QUIET_ENV, **env, "RASA_CACHE_DIRECTORY": f"{tmp}/cache"},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TRAIN_TIMEOUT_S,
        )
        return time.perf_counter() - started


def time_stock_training(bot: StockBot) -> float:
    """Seconds for a fresh `rasa train` of the stock project (empty cache, default settings)."""
    return time_fresh_training([sys.executable, "-m", "rasa", "train"], bot.project, {})


@contextmanager
def running_stock(bot: StockBot, log_dir: Path, port: int | None = None) -> Iterator[Stack]:
    """Serve the stock bot with `rasa run --enable-api` until the block ends.

    The init bot's default endpoints configure no action server, so none is started.
    """
    port = port or free_port()
    with open(log_dir / "stock-rasa.log", "ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--enable-api",
                "--model",
                str(bot.model),
                "--interface",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            cwd=bot.project,
            env={**os.environ, **QUIET_ENV},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", [process], STARTUP_TIMEOUT_S)
            yield Stack(
                url=f"http://127.0.0.1:{port}",
                token="",
                action_url="",
                processes=(process,),
            )
        finally:
            stop_processes([process])
