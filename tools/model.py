"""Train only when the training inputs changed.

The model file is named after a hash of everything that shapes it (config,
domain, training data, Rasa version), so `make run` and `make test` reuse a
model whose inputs are unchanged and never serve a stale one.

    python -m tools.model path    # print the model path for the current inputs
    python -m tools.model ensure  # train if that model does not exist yet
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
INPUTS = ("config.yml", "domain.yml", "data")
# TensorFlow's multi-threaded kernels add up floats in varying order, so the same
# data and seed could give slightly different models on different runs. One
# thread per op makes a retrained model match the one the tests were run with.
DETERMINISTIC_TRAINING = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_DETERMINISTIC_OPS": "1",
}


def input_files() -> list[Path]:
    """Every file that changes the trained model, in a stable order."""
    files: list[Path] = []
    for name in INPUTS:
        path = ROOT / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def inputs_hash() -> str:
    """A short hash of the training inputs and the Rasa version."""
    from rasa.version import __version__ as rasa_version

    digest = hashlib.sha256(
        f"rasa {rasa_version}\n{sorted(DETERMINISTIC_TRAINING.items())}\n".encode()
    )
    for path in input_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    """Where the model for the current inputs lives (it may not exist yet)."""
    return MODELS / f"sprout-{inputs_hash()}.tar.gz"


def train_command(*arguments: str) -> list[str]:
    """`rasa train` with Sprout's speed-ups (sprout.server), as `make train` runs it."""
    return [sys.executable, "-m", "sprout.server", "train", *arguments]


def ensure_model() -> Path:
    """Train the model for the current inputs unless it already exists.

    A lock file serialises concurrent callers, so two commands started at once
    train once and both use the result.
    """
    MODELS.mkdir(exist_ok=True)
    with open(MODELS / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_if_missing()


def _train_if_missing() -> Path:
    target = model_path()
    if target.exists():
        print(f"model is up to date: {target.relative_to(ROOT)}", file=sys.stderr)
        return target
    print(f"training {target.name} (inputs changed) ...", file=sys.stderr)
    subprocess.run(
        train_command(
            "--out", str(MODELS), "--fixed-model-name", target.name.removesuffix(".tar.gz")
        ),
        cwd=ROOT,
        env={**os.environ, **DETERMINISTIC_TRAINING},
        check=True,
    )
    for old in MODELS.glob("sprout-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "path"
    if command == "ensure":
        print(ensure_model().relative_to(ROOT))
    elif command == "path":
        print(model_path().relative_to(ROOT))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
