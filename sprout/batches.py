"""Batches for Rasa's networks assembled with whole-array operations.

Rasa builds every training batch (and every prediction's input) example by
example in Python: a padded copy per dense example, and three small stacked
arrays per sparse one. Training the two classifiers builds about 1,400 batches,
and that loop was about a seventh of a full training's time.

The same arrays are built here from one concatenation per field. Indices, values,
shapes, dtypes and order are identical to Rasa's (a property test compares them);
dialogue-shaped (4-D) data and anything unusual still go through Rasa's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.utils.tensorflow.data_generator import RasaDataGenerator

_original_sparse = RasaDataGenerator._scipy_matrix_to_values
_original_dense = RasaDataGenerator._pad_dense_data


def sparse_values(array_of_sparse: Any) -> list[np.ndarray]:
    """Indices (example, row, column), values and shape of a batch of sparse matrices."""
    if array_of_sparse.number_of_dimensions == 4 or not all(
        isinstance(m, scipy.sparse.coo_matrix) for m in array_of_sparse
    ):
        return _original_sparse(array_of_sparse)
    matrices = list(array_of_sparse)
    counts = [m.nnz for m in matrices]
    examples = np.repeat(np.arange(len(matrices)), counts)
    rows = np.concatenate([m.row for m in matrices])
    cols = np.concatenate([m.col for m in matrices])
    indices = np.column_stack([examples, rows, cols]).astype(np.int64)
    data = np.concatenate([m.data for m in matrices]).astype(np.float32)
    longest = max(m.shape[0] for m in matrices)
    shape = np.array((len(matrices), longest, matrices[0].shape[-1]), dtype=np.int64)
    return [indices, data, shape]


def padded_dense(array_of_dense: Any) -> np.ndarray:
    """A batch of dense sequences, stacked directly when they are all the same length."""
    if array_of_dense.number_of_dimensions == 4 or array_of_dense[0].ndim < 2:
        return _original_dense(array_of_dense)
    examples = list(array_of_dense)
    first = examples[0]
    if any(x.shape != first.shape or x.dtype != first.dtype for x in examples):
        return _original_dense(array_of_dense)
    return np.stack(examples).astype(np.float32)


def apply() -> None:
    RasaDataGenerator._scipy_matrix_to_values = staticmethod(sparse_values)  # type: ignore[method-assign]
    RasaDataGenerator._pad_dense_data = staticmethod(padded_dense)  # type: ignore[method-assign]


def remove() -> None:
    RasaDataGenerator._scipy_matrix_to_values = staticmethod(_original_sparse)  # type: ignore[method-assign]
    RasaDataGenerator._pad_dense_data = staticmethod(_original_dense)  # type: ignore[method-assign]
