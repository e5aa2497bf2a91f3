"""Training the networks in child processes gives the model training them in turn gives."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.engine.exceptions import GraphComponentException
from rasa.engine.graph import (
    ExecutionContext,
    GraphComponent,
    GraphNodeHook,
    GraphSchema,
    SchemaNode,
)
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from sprout import parallel_training
from sprout.parallel_training import ChildTraceback, ParallelTrainingGraphRunner

ROOT = Path(__file__).resolve().parents[2]
NETWORK_DIRS = ("train_sprout.sentence_input.IntentClassifier", "train_sprout.faq_selector")


class Trainer(GraphComponent):
    """A stand-in for a network: trains by writing which process trained it."""

    def __init__(self, config: dict[str, Any], storage: ModelStorage, resource: Resource) -> None:
        self._config = config
        self._storage = storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Trainer:
        return cls(config, model_storage, resource)

    def train(self, data: str) -> Resource:
        if self._config.get("fail") == "raise":
            raise ValueError(f"cannot learn from {data}")
        if self._config.get("fail") == "die":
            os._exit(3)
        with self._storage.write_to(self._resource) as directory:
            (directory / "trained.txt").write_text(f"{data} {os.getpid()}")
        return self._resource


class Source(GraphComponent):
    """Provides the training data, and reads what a trainer wrote."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Source:
        return cls()

    def provide(self) -> str:
        return "examples"

    def read(self, trained: Resource) -> str:
        return trained.name


class RecordingHook(GraphNodeHook):
    """Writes down which process ran each node's hooks (a file: children write too)."""

    def __init__(self, record: Path) -> None:
        self.record = record

    def on_before_node(self, node_name: str, *args: Any, **kwargs: Any) -> dict:
        with self.record.open("a") as out:
            out.write(f"before {node_name} {os.getpid()}\n")
        return {}

    def on_after_node(self, node_name: str, *args: Any, output: Any, **kwargs: Any) -> None:
        with self.record.open("a") as out:
            out.write(f"after {node_name} {os.getpid()}\n")

    def calls(self) -> list[tuple[str, str, int]]:
        lines = self.record.read_text().split("\n") if self.record.exists() else []
        return [(event, node, int(pid)) for event, node, pid in (ln.split() for ln in lines if ln)]


class EveryTrainerInAChild(ParallelTrainingGraphRunner):
    """The parallel runner, taking the stand-in trainers for networks."""

    def trains_in_child(self, node: SchemaNode) -> bool:
        return node.uses is Trainer and node.fn == "train"


def schema(**trainer_configs: dict[str, Any]) -> GraphSchema:
    nodes = {"data": SchemaNode({}, Source, "create", "provide", {})}
    for name, config in trainer_configs.items():
        nodes[name] = SchemaNode({"data": "data"}, Trainer, "create", "train", config)
    nodes["reader"] = SchemaNode({"trained": "first"}, Source, "create", "read", {})
    return GraphSchema(nodes)


def run(runner_class: type, graph: GraphSchema, storage_dir: Path) -> tuple[dict, RecordingHook]:
    """Run every node; outputs with trained resources by name (their fingerprints are new)."""
    hook = RecordingHook(storage_dir.parent / f"{storage_dir.name}.hooks")
    storage_dir.mkdir()
    storage = LocalModelStorage(storage_dir)
    runner = runner_class.create(graph, storage, ExecutionContext(graph, "test"), [hook])
    results = runner.run(targets=list(graph.nodes))
    return {k: v.name if isinstance(v, Resource) else v for k, v in results.items()}, hook


@pytest.fixture()
def children(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """The children started and the nodes whose results were taken, in order."""
    record: dict[str, list] = {"started": [], "finished": []}
    original_start = parallel_training.ChildTraining.start
    original_finish = parallel_training.ChildTraining.finish

    def start(cls: type, name: str, *args: Any) -> Any:
        child = original_start(name, *args)
        record["started"].append(child)
        return child

    def finish(self: Any) -> Any:
        record["finished"].append(self.name)
        return original_finish(self)

    monkeypatch.setattr(parallel_training.ChildTraining, "start", classmethod(start))
    monkeypatch.setattr(parallel_training.ChildTraining, "finish", finish)
    return record


def trained_by(storage_dir: Path, node: str) -> tuple[str, int]:
    data, pid = (storage_dir / node / "trained.txt").read_text().split()
    return data, int(pid)


def test_each_trainer_runs_in_its_own_child_and_the_hooks_in_this_process(
    tmp_path: Path, children: dict[str, list]
) -> None:
    graph = schema(first={}, second={})
    in_turn, _ = run(DaskGraphRunner, graph, tmp_path / "in_turn")
    side_by_side, hook = run(EveryTrainerInAChild, graph, tmp_path / "side_by_side")

    assert side_by_side == in_turn
    assert side_by_side["reader"] == "first"
    assert [child.name for child in children["started"]] == ["first", "second"]
    # "reader" needs "first", so it was taken before "reader" ran; "second" at the end.
    assert children["finished"] == ["first", "second"]
    pids = {node: trained_by(tmp_path / "side_by_side", node)[1] for node in ("first", "second")}
    assert pids == {child.name: child.pid for child in children["started"]}
    assert os.getpid() not in pids.values() and len(set(pids.values())) == 2
    assert trained_by(tmp_path / "side_by_side", "first")[0] == "examples"
    calls = hook.calls()
    assert {pid for _, _, pid in calls} == {os.getpid()}
    assert sorted(calls) == sorted(
        (event, node, os.getpid()) for event in ("before", "after") for node in graph.nodes
    )


def test_a_trainers_error_reaches_this_process_as_rasa_would_raise_it(tmp_path: Path) -> None:
    graph = schema(first={"fail": "raise"}, second={})
    with pytest.raises(GraphComponentException) as raised:
        run(EveryTrainerInAChild, graph, tmp_path / "storage")
    error = raised.value.__cause__
    assert isinstance(error, ValueError) and str(error) == "cannot learn from examples"
    assert isinstance(error.__cause__, ChildTraceback)
    assert "in train" in str(error.__cause__)  # the child's traceback names the function


def test_a_trainer_that_dies_is_reported_and_the_others_are_stopped(
    tmp_path: Path, children: dict[str, list]
) -> None:
    graph = schema(first={"fail": "die"}, second={})
    with pytest.raises(GraphComponentException) as raised:
        run(EveryTrainerInAChild, graph, tmp_path / "storage")
    assert isinstance(raised.value.__cause__, ChildTraceback)
    assert "stopped without a result (exit status 3)" in str(raised.value.__cause__)
    assert [child.name for child in children["started"]] == ["first", "second"]
    for child in children["started"]:
        with pytest.raises(ChildProcessError):
            os.waitpid(child.pid, os.WNOHANG)  # ended and collected: none is left behind


def test_networks_are_the_only_nodes_sent_to_children() -> None:
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    from sprout.faq_selector import FaqResponseSelector

    network = SchemaNode({}, FaqResponseSelector, "create", "train", {})
    assert parallel_training.trains_a_network(network)
    assert not parallel_training.trains_a_network(
        SchemaNode({}, DIETClassifier, "load", "process", {})
    )
    assert not parallel_training.trains_a_network(SchemaNode({}, Source, "create", "train", {}))


def small_training_inputs(directory: Path) -> tuple[Path, Path]:
    """The pipeline with few epochs, and every eighth example of each intent with the answers."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if "epochs" in component:
            component["epochs"] = 2
    config_file = directory / "config.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    data = load_data(str(ROOT / "data" / "nlu"))
    by_label: dict[str, list[Message]] = {}
    for example in data.training_examples:
        label = example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)
        by_label.setdefault(label, []).append(example)
    data.training_examples = [m for examples in by_label.values() for m in examples[::8]]
    nlu = directory / "nlu"
    nlu.mkdir()
    (nlu / "examples.yml").write_text(data.nlu_as_yaml(), encoding="utf-8")
    shutil.copy(ROOT / "data" / "responses" / "faq.yml", nlu / "responses.yml")
    return config_file, nlu


def train_nlu(directory: Path, config: Path, nlu: Path, processes: str) -> tuple[Path, str]:
    """`rasa train nlu` as `make train` runs it, in a fresh process; the model and its log."""
    env = {
        **os.environ,
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_DETERMINISTIC_OPS": "1",
        "RASA_CACHE_DIRECTORY": str(directory / "cache"),
        parallel_training.PROCESSES_ENV: processes,
    }
    command = [sys.executable, "-m", "sprout.server", "train", "nlu", "--config", str(config)]
    command += ["--nlu", str(nlu), "--domain", str(ROOT / "domain.yml"), "--out", str(directory)]
    done = subprocess.run(
        [*command, "--fixed-model-name", "nlu"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return directory / "nlu.tar.gz", done.stderr


def file_hashes(model: Path) -> dict[str, str]:
    """Every file of a model package but its metadata (which holds the training date)."""
    hashes = {}
    with tarfile.open(model) as package:
        for member in package.getmembers():
            if member.isfile() and not member.name.endswith("metadata.json"):
                content = package.extractfile(member).read()  # type: ignore[union-attr]
                hashes[member.name] = hashlib.sha256(content).hexdigest()
    return hashes


def test_networks_trained_side_by_side_are_the_networks_trained_in_turn(
    tmp_path: Path,
) -> None:
    config, nlu = small_training_inputs(tmp_path)
    (tmp_path / "in_turn").mkdir()
    (tmp_path / "side_by_side").mkdir()
    in_turn, in_turn_log = train_nlu(tmp_path / "in_turn", config, nlu, "1")
    side_by_side, log = train_nlu(tmp_path / "side_by_side", config, nlu, "2")

    children = re.findall(r"Training '(train_[^']+)' in process (\d+)", log)
    assert sorted(name.split(".")[1] for name, _ in children) == ["faq_selector", "sentence_input"]
    assert len({pid for _, pid in children}) == 2
    assert "in process" not in in_turn_log
    # Both were started before either network's result was taken.
    first_result = min(
        log.index(f"Finished training component '{name}'")
        for name in ("IntentClassifier", "FaqResponseSelector")
    )
    assert all(log.index(f"in process {pid}") < first_result for _, pid in children)

    hashes = file_hashes(side_by_side)
    networks = [name for name in hashes if any(d in name for d in NETWORK_DIRS)]
    assert any(name.endswith(".data-00000-of-00001") for name in networks)
    assert hashes == file_hashes(in_turn)
