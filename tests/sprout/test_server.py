"""The server command sizes the math libraries' thread pools for serving, and only for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sprout.server import SERVING_THREADS, serve_on_one_thread

# What the libraries make of the environment at start-up: TensorFlow's pools after
# Rasa's set-up, and the threads of every OpenBLAS loaded (NumPy's and SciPy's).
PROBE = """
import json, os, sys
from sprout.server import serve_on_one_thread
serve_on_one_thread(sys.argv[1:], os.environ)
import numpy, scipy.linalg, tensorflow as tf, threadpoolctl
from rasa.utils.tensorflow.environment import setup_tf_environment
setup_tf_environment()
blas = {pool["num_threads"] for pool in threadpoolctl.threadpool_info()
        if pool["internal_api"] == "openblas"}
print(json.dumps([tf.config.threading.get_inter_op_parallelism_threads(),
                  tf.config.threading.get_intra_op_parallelism_threads(), sorted(blas)]))
"""


def pools_after_start(*argv: str, **env: str) -> list[object]:
    clean = {
        k: v for k, v in os.environ.items() if k not in SERVING_THREADS and k != "OMP_NUM_THREADS"
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "rasa", *argv],
        env={**clean, **env, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_rasa_serves_on_one_thread_per_library() -> None:
    assert pools_after_start("run", "--enable-api") == [1, 1, [1]]


def test_other_commands_keep_the_libraries_defaults() -> None:
    inter, intra, blas = pools_after_start("train")
    assert (inter, intra) == (0, 0)
    assert blas == [os.cpu_count()]


def test_the_environment_still_decides() -> None:
    assert pools_after_start("run", TF_INTER_OP_PARALLELISM_THREADS="2") == [2, 1, [1]]
    assert pools_after_start("run", OPENBLAS_NUM_THREADS="2") == [1, 1, [2]]


@pytest.mark.parametrize("argv", [[], ["rasa"], ["rasa", "train"], ["rasa", "shell"]])
def test_nothing_set_outside_serving(argv: list[str]) -> None:
    environ: dict[str, str] = {}
    serve_on_one_thread(argv, environ)
    assert environ == {}
