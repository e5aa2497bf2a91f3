"""Hot spots of Rasa 3.6's turns and model loading, made cheap without changing results.

Profiling a Sprout turn showed most of the Rasa server's CPU going to work that
gives the same answer every time:

* Every reply from the action server is checked against Rasa's response schema
  with ``jsonschema.validate``, which first re-checks the (large, constant) schema
  itself against the JSON-Schema meta-schema: about 100 ms of CPU per custom
  action on this hardware. Here the validator is built once, and each event is
  checked against its own type's schema only (``sprout.action_replies``); an
  invalid reply still raises Rasa's ``ValidationError``.
* Turning stored events back into objects looks each event's class up by walking
  every subclass of ``Event`` (about 0.1 ms per event). Here the lookup is
  remembered per event name; unknown names still go through Rasa's own code.
* Joining a message's sparse features side by side (``scipy.sparse.hstack``) went
  through SciPy's general block-matrix builder, which copies and checks each block
  again: about a tenth of the NLU's time. Two COO matrices are now joined by
  concatenating their arrays; the result has the same values, order and types.
* Loading a trained network ran a full training step first; see ``sprout.model_loading``.
* Each prediction went through TensorFlow's general function dispatch, three times
  the cost of the graph it runs; see ``sprout.fast_predict``. The lean intent
  classifier and FAQ selector now predict a message in NumPy instead; see
  ``sprout.sentence_forward``.
* Every action-server call opened a new HTTP connection; see ``sprout.connections``.
* Training fingerprinted every token again after every featurizer; see
  ``sprout.fingerprints``.
* The networks' batches were built example by example; see ``sprout.batches``.
* Every prediction went through Dask's scheduler; see ``sprout.graph_runner``.
* Training trained the networks one after another on one core; see
  ``sprout.parallel_training``.
* The policies replayed the whole conversation for every question they asked of it;
  see ``sprout.dialogue_states``; and worked out the applied events from the first
  event every time; see ``sprout.applied_events``.

All are applied by ``sprout.server`` (the command that starts and trains Rasa) and only for
the Rasa release they were written against: another version runs unmodified.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import numpy as np
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.nlu.training_data.features import Features
from scipy.sparse import coo_matrix, isspmatrix_coo
from scipy.sparse._sputils import get_index_dtype, upcast

from sprout import (
    applied_events,
    batches,
    connections,
    dialogue_states,
    fast_predict,
    fingerprints,
    graph_runner,
    model_loading,
    parallel_training,
)
from sprout.action_replies import ReplyCheck

logger = logging.getLogger(__name__)

SUPPORTED_RASA = "3.6.21"
_original_resolve = Event.resolve_by_type
_original_validate = RemoteAction._validate_action_result
_event_classes: dict[str, type[Event]] = {}
_original_combine_sparse = Features._combine_sparse_features


# Modules with their own apply() and remove(), each explained in its docstring.
_PATCHES = (
    model_loading,
    fast_predict,
    connections,
    fingerprints,
    batches,
    graph_runner,
    parallel_training,
    dialogue_states,
    applied_events,
)


@lru_cache(maxsize=1)
def _reply_check() -> ReplyCheck:
    return ReplyCheck(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server reply: built once, each event against its own type."""
    if _reply_check().is_valid(result):
        return True
    # Rare: let Rasa's own check raise its ValidationError with its own message.
    return _original_validate(self, result)


def resolve_event_class(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's event-class lookup, remembered per event name."""
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = _original_resolve(type_name, default)
    if found is not None and found is not default:
        _event_classes[type_name] = found
    return found


def join_sparse_columns(left: Any, right: Any) -> Any:
    """`scipy.sparse.hstack([left, right])` for two COO matrices with the same rows."""
    shape = (left.shape[0], left.shape[1] + right.shape[1])
    index_dtype = get_index_dtype(maxval=max(shape))
    data = np.concatenate([left.data, right.data]).astype(upcast(left.dtype, right.dtype))
    row = np.concatenate([left.row, right.row]).astype(index_dtype)
    col = np.concatenate([left.col, right.col.astype(np.int64) + left.shape[1]])
    return coo_matrix((data, (row, col.astype(index_dtype))), shape=shape)


def combine_sparse_features(self: Features, additional: Features) -> None:
    """Rasa's joining of two sparse features, without SciPy's block builder for COO."""
    left, right = self.features, additional.features
    if not (isspmatrix_coo(left) and isspmatrix_coo(right)) or left.shape[0] != right.shape[0]:
        _original_combine_sparse(self, additional)  # other formats, and Rasa's error
        return
    self.features = join_sparse_columns(left, right)
    self._cached_fingerprint = None


def apply() -> bool:
    """Install the speed-ups if this is the Rasa release they were checked against."""
    if rasa.__version__ != SUPPORTED_RASA:
        logger.warning(
            "Rasa %s is not %s: running without Sprout's speed-ups",
            rasa.__version__,
            SUPPORTED_RASA,
        )
        return False
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_class)  # type: ignore[method-assign]
    Features._combine_sparse_features = combine_sparse_features  # type: ignore[method-assign]
    for patch in _PATCHES:
        patch.apply()
    return True


def remove() -> None:
    """Put Rasa's own implementations back (used by tests)."""
    RemoteAction._validate_action_result = _original_validate  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_original_resolve)  # type: ignore[method-assign]
    _event_classes.clear()
    Features._combine_sparse_features = _original_combine_sparse  # type: ignore[method-assign]
    for patch in _PATCHES:
        patch.remove()
