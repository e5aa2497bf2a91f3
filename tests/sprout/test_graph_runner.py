"""Running the graph's nodes in order gives exactly what Dask's scheduler gives."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core import processor
from rasa.core.agent import load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.utils import AvailableEndpoints
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.endpoints import EndpointConfig

from sprout.graph_runner import InOrderGraphRunner, run_order
from tests.e2e.test_long_conversation import CYCLE
from tools.stack import Stack


def schema(needs: dict[str, dict[str, str]]) -> Any:
    """A stand-in graph schema: node name -> {parameter: node or input it needs}."""
    return SimpleNamespace(nodes={name: SimpleNamespace(needs=n) for name, n in needs.items()})


def test_each_node_comes_after_what_it_needs() -> None:
    graph = schema(
        {
            "tokens": {"messages": "__message__"},
            "words": {"messages": "tokens"},
            "chars": {"messages": "tokens"},
            "intent": {"a": "words", "b": "chars"},
            "unused": {"messages": "tokens"},
        }
    )
    order = run_order(graph, ["intent"])
    names = [name for name, _ in order]
    assert names[0] == "tokens" and names[-1] == "intent"
    assert sorted(names) == ["chars", "intent", "tokens", "words"]  # not "unused"
    assert dict(order)["intent"] == ("words", "chars")  # in parameter order


def test_a_cycle_is_reported() -> None:
    with pytest.raises(GraphRunError, match="cycle"):
        run_order(schema({"a": {"x": "b"}, "b": {"x": "a"}}), ["a"])


def comparable(results: dict[str, Any]) -> dict[str, Any]:
    """Node outputs as plain values: messages by what Rasa reports of them."""
    out = {}
    for name, value in results.items():
        if isinstance(value, list) and value and isinstance(value[0], Message):
            value = [m.as_dict(only_output_properties=True) for m in value]
        out[name] = value
    return out


class BothRunners:
    """Runs every request through Dask and through the in-order runner, and compares."""

    def __init__(self, dask: DaskGraphRunner) -> None:
        self.dask = dask
        self.in_order = InOrderGraphRunner.__new__(InOrderGraphRunner)
        self.in_order.__dict__.update(dask.__dict__)  # the very same loaded nodes
        self.runs: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> Any:
        ours = self.in_order.run(copy.deepcopy(inputs), targets)  # nodes change their inputs
        theirs = self.dask.run(inputs, targets)
        # Copied now: Rasa goes on to add to the parse data it got back.
        self.runs.append(copy.deepcopy((comparable(ours), comparable(theirs))))
        return theirs


@pytest.fixture
def dask_runner_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models load with Rasa's Dask runner in this test, whatever the other tests applied."""
    monkeypatch.setattr(processor, "DaskGraphRunner", DaskGraphRunner)


async def test_same_results_as_dask_through_whole_conversations(
    trained_model: Path, stack: Stack, dask_runner_loaded: None
) -> None:
    action = EndpointConfig(url=f"{stack.action_url}/webhook")
    agent = await load_agent(str(trained_model), endpoints=AvailableEndpoints(action=action))
    assert type(agent.processor.graph_runner) is DaskGraphRunner
    both = BothRunners(agent.processor.graph_runner)
    agent.processor.graph_runner = both

    for text in [*CYCLE, *CYCLE[:4], "talk to a person please", "bye"]:
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), "in-order"))

    outputs = [list(ours.values()) for ours, _ in both.runs]
    predictions = [o for o in outputs if any(isinstance(v, PolicyPrediction) for v in o)]
    parses = [o for o in outputs if any(isinstance(v, list) for v in o)]
    assert len(predictions) > 30 and len(parses) == len(CYCLE) + 6
    for ours, theirs in both.runs:
        assert ours == theirs


def test_inputs_may_not_reuse_node_names() -> None:
    runner = SimpleNamespace(_graph_schema=schema({"tokens": {"m": "__message__"}}))
    with pytest.raises(GraphRunError, match="clashes"):
        InOrderGraphRunner.run(runner, {"__message__": "tokens"}, ["tokens"])  # type: ignore[arg-type]
