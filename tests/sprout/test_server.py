"""The server command sizes TensorFlow's pools for serving, and only for serving."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sprout.server import SERVING_THREADS, serve_on_one_thread

# What Rasa's start-up makes of the environment: the pools TensorFlow then uses.
PROBE = """
import json, os, sys
from sprout.server import serve_on_one_thread
serve_on_one_thread(sys.argv[1:], os.environ)
import tensorflow as tf
from rasa.utils.tensorflow.environment import setup_tf_environment
setup_tf_environment()
print(json.dumps([tf.config.threading.get_inter_op_parallelism_threads(),
                  tf.config.threading.get_intra_op_parallelism_threads()]))
"""


def pools_after_start(*argv: str, **env: str) -> list[int]:
    clean = {k: v for k, v in os.environ.items() if k not in SERVING_THREADS}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "rasa", *argv],
        env={**clean, **env, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_rasa_serves_on_one_pool_thread() -> None:
    assert pools_after_start("run", "--enable-api") == [1, 1]


def test_other_commands_keep_tensorflows_defaults() -> None:
    assert pools_after_start("train") == [0, 0]


def test_the_environment_still_decides() -> None:
    assert pools_after_start("run", TF_INTER_OP_PARALLELISM_THREADS="2") == [2, 1]


@pytest.mark.parametrize("argv", [[], ["rasa"], ["rasa", "train"], ["rasa", "shell"]])
def test_nothing_set_outside_serving(argv: list[str]) -> None:
    environ: dict[str, str] = {}
    serve_on_one_thread(argv, environ)
    assert environ == {}
