"""Training the pipeline's networks side by side, each in a process of its own.

A training calls the graph's nodes one after another. Two of them, the intent
classifier and the FAQ selector, are TensorFlow networks and take about two thirds of
a training, and `make train` runs TensorFlow on one thread per operation so that a
retrained model is reproducible: while the networks trained in turn, the machine's
other core sat idle.

`ParallelTrainingGraphRunner` calls the nodes in the same order as the in-order runner,
but starts each network's training in a forked child process and carries on with the
nodes that do not need it; a node that needs a network's result, and the end of the
run, wait for it. Only the node's own work (building the component and training it)
runs in the child. Rasa's
bookkeeping around the node (the hooks that log it and put its output in the training
cache) runs in the parent as it always did, once the child has finished. The child
writes the trained network into the model storage, a directory both processes see, and
sends back what the node returns.

Each network seeds Python's, NumPy's and TensorFlow's random generators when it is
built, so in a process of its own it trains to the same weights as in turn
(tests/sprout/test_parallel_training.py). A child is forked only while the parent has
not started TensorFlow's runtime, whose threads a child would lack, and no more
children run than there are usable cores; otherwise the node trains in the parent.

Measured back to back on two cores, a fresh full training went 115 -> 101 s and
137 -> 121 s: side by side, the two networks slow each other down.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NoReturn

from rasa.engine.exceptions import GraphComponentException
from rasa.engine.graph import GraphNode, SchemaNode

from sprout.graph_runner import InOrderGraphRunner, Step

logger = logging.getLogger(__name__)

# Set to 1 to train the networks one after another in the training process.
PROCESSES_ENV = "SPROUT_TRAINING_PROCESSES"


class ChildTraceback(RuntimeError):
    """Where a network's training failed, as the child process saw it."""


def trains_a_network(node: SchemaNode) -> bool:
    """Whether the node trains one of Rasa's TensorFlow networks."""
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    return node.fn == "train" and issubclass(node.uses, (DIETClassifier, TEDPolicy))


def max_children() -> int:
    """How many networks may train at once: one per usable core unless configured."""
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0))


def tensorflow_started() -> bool:
    """Whether this process has started TensorFlow's runtime (and its threads)."""
    context = sys.modules.get("tensorflow.python.eager.context")
    current = context.context_safe() if context is not None else None
    return bool(current is not None and current._initialized)


def can_fork() -> bool:
    """Whether a network can train in a forked child of this process."""
    return hasattr(os, "fork") and max_children() > 1 and not tensorflow_started()


@dataclass
class _Outcome:
    """What a child sends back: the node's output, or the error it raised."""

    ok: bool
    value: Any
    child_traceback: str = ""


@dataclass
class ChildTraining:
    """One network training in a forked child process."""

    name: str
    node: GraphNode
    args: tuple[Any, ...]
    pid: int
    reader: BinaryIO = field(repr=False)

    @classmethod
    def start(cls, name: str, node: GraphNode, args: tuple[Any, ...]) -> ChildTraining:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        # The child's garbage collector would otherwise walk (and so copy) every page of
        # the parent's objects; frozen, they are left to the parent.
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _train_and_report(node, args, write_fd)
        gc.unfreeze()
        os.close(write_fd)
        logger.info("Training '%s' in process %d, alongside the rest of the training.", name, pid)
        return cls(name, node, args, pid, os.fdopen(read_fd, "rb"))

    def wait(self) -> _Outcome:
        """Block until the child has finished; its output, or its error."""
        with self.reader:
            payload = self.reader.read()
        _, status = os.waitpid(self.pid, 0)
        if not payload:
            message = f"Training '{self.name}' stopped without a result ({_describe(status)})."
            return _Outcome(False, ChildTraceback(message))
        return pickle.loads(payload)

    def finish(self) -> tuple[str, Any]:
        """Run the node's Rasa bookkeeping in this process with the child's result."""
        outcome = self.wait()

        def child_result(_component: Any, **_kwargs: Any) -> Any:
            if isinstance(outcome.value, ChildTraceback):
                raise outcome.value
            if not outcome.ok:
                raise outcome.value from ChildTraceback(outcome.child_traceback)
            return outcome.value

        train = self.node._fn
        self.node._fn = child_result
        try:
            return self.node(*self.args)
        finally:
            self.node._fn = train

    def stop(self) -> None:
        """End a child that is no longer wanted (the training failed elsewhere)."""
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self.reader.close()


def share_the_cores() -> None:
    """Run TensorFlow on one thread per operation unless its settings say otherwise.

    TensorFlow's default is a pool of threads as large as the machine in every process;
    with a network training per core, those pools fight over the cores. On two cores the
    two networks took 90 s side by side with the default pools, four minutes after
    they had taken 49 s with one thread each.
    """
    if tensorflow_started():
        return  # settled already (only where a test forks a process that used it)
    import tensorflow as tf

    if not os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS"):
        tf.config.threading.set_intra_op_parallelism_threads(1)
    if not os.environ.get("TF_INTER_OP_PARALLELISM_THREADS"):
        tf.config.threading.set_inter_op_parallelism_threads(1)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _train_and_report(node: GraphNode, args: tuple[Any, ...], write_fd: int) -> NoReturn:
    """In the child: train, send back the output or the error, and leave at once."""
    status = 0
    try:
        share_the_cores()
        node._hooks = []  # the parent runs them; this is the child's copy of the node
        _, output = node(*args)
        payload = pickle.dumps(_Outcome(True, output))
    except BaseException as error:  # everything must reach the parent
        status = 1
        payload = _error_payload(error)
    try:
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _error_payload(error: BaseException) -> bytes:
    """The error Rasa's node raised, without the node's wrapping, and its traceback."""
    if isinstance(error, GraphComponentException) and error.__cause__ is not None:
        error = error.__cause__  # the parent's node wraps it again, as Rasa would
    where = "".join(traceback.format_exception(error))
    try:
        return pickle.dumps(_Outcome(False, error, where))
    except Exception:  # an error that cannot be pickled still reaches the parent
        return pickle.dumps(_Outcome(False, ChildTraceback(where)))


class ParallelTrainingGraphRunner(InOrderGraphRunner):
    """The in-order runner, with each network trained in a child process."""

    def trains_in_child(self, node: SchemaNode) -> bool:
        """Whether this node's work goes to a child process."""
        return trains_a_network(node) and can_fork()

    def _call_nodes(self, order: list[Step], results: dict[str, Any]) -> None:
        nodes = self._instantiated_nodes
        schema_nodes = self._graph_schema.nodes
        running: dict[str, ChildTraining] = {}
        try:
            for name, needs in order:
                for needed in needs:
                    if needed in running:
                        results[needed] = running.pop(needed).finish()
                args = tuple(results.get(n, n) for n in needs)
                if not self.trains_in_child(schema_nodes[name]):
                    results[name] = nodes[name](*args)
                    continue
                while len(running) >= max_children():
                    oldest = next(iter(running))
                    results[oldest] = running.pop(oldest).finish()
                running[name] = ChildTraining.start(name, nodes[name], args)
            while running:
                oldest = next(iter(running))
                results[oldest] = running.pop(oldest).finish()
        finally:
            for child in running.values():
                child.stop()


def apply() -> None:
    """Train with the parallel runner."""
    import rasa.model_training

    rasa.model_training.DaskGraphRunner = ParallelTrainingGraphRunner  # type: ignore[misc]


def remove() -> None:
    import rasa.model_training
    from rasa.engine.runner.dask import DaskGraphRunner

    rasa.model_training.DaskGraphRunner = DaskGraphRunner  # type: ignore[misc]
