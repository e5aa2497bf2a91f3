"""Running the prediction graph's nodes in order, without Dask's scheduler.

Rasa runs its prediction graph (tokenizer, featurizers, classifiers, policies) through
Dask's local scheduler several times per message: once to understand the message and
once for every action it predicts. The graph is a short chain of components, and the
scheduler's bookkeeping (building task graphs, dependency sets, a task queue) was
about a seventh of the Rasa server's CPU per message: more than the policies took.

`InOrderGraphRunner` calls the same nodes with the same inputs, one after another in
an order where each node follows everything it needs, and returns the same results.
The order for a set of targets is worked out once. Training uses a subclass that
trains the networks side by side (`sprout.parallel_training`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa.core import processor
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

_original_runner = processor.DaskGraphRunner

# One step of a run: the node's name and the names of what it needs, in argument order.
Step = tuple[str, tuple[str, ...]]


def run_order(schema: GraphSchema, targets: Sequence[str]) -> list[Step]:
    """Every node the targets need, each after all the nodes it needs."""
    order: list[Step] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed or name not in schema.nodes:
            return  # done already, or an input supplied at run time
        if name in path:
            raise GraphRunError(f"The graph has a cycle through '{name}'.")
        needs = tuple(schema.nodes[name].needs.values())
        for needed in needs:
            place(needed, (*path, name))
        placed.add(name)
        order.append((name, needs))

    for target in targets:
        place(target, ())
    return order


class InOrderGraphRunner(DaskGraphRunner):
    """Rasa's graph runner for predictions, calling the nodes directly in order."""

    _orders: dict[tuple[str, ...], list[Step]]

    def run(
        self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        """Run the nodes the targets need; results are keyed by node name, as in Rasa."""
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        orders = self.__dict__.setdefault("_orders", {})
        order = orders.get(run_targets)
        if order is None:
            order = orders[run_targets] = run_order(self._graph_schema, run_targets)
        # Each result is a (node name, output) pair, which is what nodes take as inputs.
        results: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none "
                    "of the input names passed to the `run` method are the same as node "
                    "names in the graph schema."
                )
            results[name] = (name, value)
        self._call_nodes(order, results)
        return dict(results[target] for target in run_targets)

    def _call_nodes(self, order: list[Step], results: dict[str, Any]) -> None:
        """Call each node in turn, adding its (name, output) pair to `results`."""
        nodes = self._instantiated_nodes
        for name, needs in order:
            # A need that is neither a node nor an input is passed as it is, as Dask does.
            results[name] = nodes[name](*(results.get(n, n) for n in needs))


def apply() -> None:
    """Load models for serving with the in-order runner."""
    processor.DaskGraphRunner = InOrderGraphRunner  # type: ignore[misc]


def remove() -> None:
    processor.DaskGraphRunner = _original_runner  # type: ignore[misc]
