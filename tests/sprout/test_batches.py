"""Batches built with whole-array operations equal Rasa's, array for array."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.feature_array import FeatureArray

from sprout import batches

DTYPES = [np.float32, np.float64, np.int64]


def object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def same_arrays(ours: list[np.ndarray], rasas: list[np.ndarray]) -> None:
    assert len(ours) == len(rasas)
    for mine, theirs in zip(ours, rasas, strict=True):
        assert mine.dtype == theirs.dtype
        assert mine.shape == theirs.shape
        np.testing.assert_array_equal(mine, theirs)


@settings(max_examples=150, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 12), min_size=1, max_size=40),
    width=st.integers(1, 5000),
    density=st.floats(0, 0.3),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
def test_sparse_batches_equal_rasas(
    lengths: list[int], width: int, density: float, dtype: type, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    matrices = [
        scipy.sparse.random(n, width, density=density, format="coo", dtype=dtype, random_state=rng)
        for n in lengths
    ]
    batch = FeatureArray(object_array(matrices), number_of_dimensions=3)
    same_arrays(batches.sparse_values(batch), batches._original_sparse(batch))


def test_sparse_batches_in_another_format_go_through_rasas_code() -> None:
    matrices = [scipy.sparse.csr_matrix(np.eye(2, 6)), scipy.sparse.csr_matrix(np.ones((1, 6)))]
    batch = FeatureArray(object_array(matrices), number_of_dimensions=3)
    same_arrays(batches.sparse_values(batch), batches._original_sparse(batch))


@settings(max_examples=150, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 6), min_size=1, max_size=40),
    equal=st.booleans(),
    width=st.integers(1, 300),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
def test_dense_batches_equal_rasas(
    lengths: list[int], equal: bool, width: int, dtype: type, seed: int
) -> None:
    """Equal lengths are stacked directly; mixed lengths are padded by Rasa's code."""
    if equal:
        lengths = [lengths[0]] * len(lengths)
    rng = np.random.default_rng(seed)
    rows = [(rng.normal(size=(n, width)) * 100).astype(dtype) for n in lengths]
    batch = FeatureArray(object_array(rows), number_of_dimensions=3)
    ours = batches.padded_dense(batch)
    rasas = batches._original_dense(batch)
    same_arrays([ours], [rasas])


def test_the_data_generator_uses_them_only_while_applied() -> None:
    batches.apply()
    try:
        assert RasaDataGenerator._scipy_matrix_to_values is batches.sparse_values
        assert RasaDataGenerator._pad_dense_data is batches.padded_dense
    finally:
        batches.remove()
    assert RasaDataGenerator._scipy_matrix_to_values is batches._original_sparse
    assert RasaDataGenerator._pad_dense_data is batches._original_dense
