"""Calling a trained network's prediction graph directly, without TensorFlow's dispatch.

Rasa wraps each network's prediction step in a `tf.function` with a fixed input
signature, so the same graph runs for every message. Each call still went through
TensorFlow's general dispatch: matching the inputs against the signature, looking the
graph up in its cache and casting every array. For DIET and the FAQ selector that was
about three times the time of running the graph itself, and about an eighth of the
Rasa server's CPU per message. Here the graph is fetched once and called with the
inputs converted to the signature's types; the outputs are the same tensors.

The graph itself is traced without AutoGraph. AutoGraph rewrites Python control
flow that depends on tensors into graph control flow, and Rasa's prediction steps
branch only on their configuration, so the rewriting (about a fifth of the Rasa
server's start-up) produced the same graph; code that did branch on a tensor would
fail to trace rather than behave differently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from rasa.utils.tensorflow import models
from rasa.utils.tensorflow.models import RasaModel

SUPPORTED_TENSORFLOW = "2.12."
_original_predict = RasaModel._rasa_predict
_GRAPH = "_sprout_predict_graph"


def _graph(model: RasaModel) -> Any:
    """The prediction step's one concrete graph, with the input types it expects."""
    found = getattr(model, _GRAPH, None)
    if found is None:
        concrete = model._tf_predict_step.get_concrete_function()
        dtypes = [spec.dtype for spec in tf.nest.flatten(concrete.structured_input_signature)]
        found = (concrete, dtypes)
        setattr(model, _GRAPH, found)
    return found


def predict_directly(model: RasaModel, batch_in: tuple[np.ndarray, ...]) -> dict[str, Any]:
    """Rasa's `_rasa_predict`, calling the traced graph without the dispatch."""
    if model._run_eagerly:
        return _original_predict(model, batch_in)
    model._training = False
    if not model.prepared_for_prediction:  # as Rasa does on a model's first prediction
        model.prepare_for_predict()
        model.prepared_for_prediction = True
    if model._tf_predict_step is None:  # Rasa's own tf.function, without AutoGraph
        model._tf_predict_step = tf.function(
            model.predict_step,
            input_signature=model._dynamic_signature(batch_in),
            autograph=False,
        )
    concrete, dtypes = _graph(model)
    inputs = tf.nest.flatten(batch_in)
    if len(inputs) != len(dtypes):
        return _original_predict(model, batch_in)
    tensors = [tf.convert_to_tensor(x, dtype=t) for x, t in zip(inputs, dtypes, strict=True)]
    outputs = models.tf_utils.sync_to_numpy_or_python_type(
        concrete._call_flat(tensors, concrete.captured_inputs)
    )
    if models.DIAGNOSTIC_DATA in outputs:
        outputs[models.DIAGNOSTIC_DATA] = model._empty_lists_to_none_in_dict(
            outputs[models.DIAGNOSTIC_DATA]
        )
    return outputs


def apply() -> bool:
    """Install the direct call, only on the TensorFlow release it was checked against."""
    if not tf.__version__.startswith(SUPPORTED_TENSORFLOW):
        return False
    RasaModel._rasa_predict = predict_directly  # type: ignore[method-assign]
    return True


def remove() -> None:
    """Put Rasa's own call back (used by tests)."""
    RasaModel._rasa_predict = _original_predict  # type: ignore[method-assign]
