"""A lean network's prediction for one message, computed with NumPy from its trained weights.

Without transformer layers and entity recognition, DIET and the FAQ selector answer
from the sentence position alone (`sprout.sentence_input`): the sentence features go
through a sparse-to-dense layer, a few dense layers with GELU, an embedding layer, and
a dot product with the labels' embeddings, which Rasa computes once per loaded model.
For one message that is a handful of small products: about 0.15 ms in NumPy, against
about ten times that for TensorFlow's graph with its input conversion. Here the same
products run on the same float32 weights, in the same order of layers; the answers
agree with TensorFlow's to about 1e-7 (float rounding; tested on the trained model).

Anything this does not cover (transformer layers or entity recognition, confidences
other than softmax, Rasa's diagnostic runs, features of unexpected widths) goes to
TensorFlow as before. The Rasa server runs OpenBLAS on one thread (`sprout.server`):
its worker threads spin while waiting, which cost more than these products.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import COSINE, INNER, LABEL, SENTENCE, SOFTMAX
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from scipy.special import erf

Layer = tuple[np.ndarray, np.ndarray | None]
_SQRT_HALF = np.sqrt(0.5)


def gelu(x: np.ndarray) -> np.ndarray:
    """TensorFlow's exact GELU (`tf.nn.gelu`, approximate=False), rounded to float32.

    Worked in float64: for large negative inputs, 1 + erf cancels to a few float32
    steps, where TensorFlow's float32 result is itself off by up to about 1e-6.
    """
    wide = x.astype(np.float64)
    return (0.5 * wide * (1.0 + erf(wide * _SQRT_HALF))).astype(np.float32)


def _dense(layer: Any) -> Layer:
    kernel = layer.kernel.numpy()
    if getattr(layer, "density", 1.0) < 1.0:  # Rasa masks these kernels on every call
        kernel = kernel * layer.kernel_mask.numpy()
    bias = layer.bias.numpy() if layer.use_bias else None
    return np.ascontiguousarray(kernel, dtype=np.float32), bias


def _ffnn(ffnn: Any) -> list[Layer]:
    return [_dense(layer) for layer in ffnn._ffn_layers if hasattr(layer, "kernel")]


def _add_bias(x: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    return x if bias is None else x + bias


class SentenceForward:
    """One network's sentence path, from the sentence features to the label confidences."""

    def __init__(self, model: RasaModel) -> None:
        sequence_layer = model._tf_layers[f"sequence_layer.{model.text_name}"]
        combining = sequence_layer._tf_layers[sequence_layer.FEATURE_COMBINING]
        concatenate = combining._tf_layers[f"sparse_dense.{SENTENCE}"]
        to_dense = concatenate._tf_layers.get(concatenate.SPARSE_TO_DENSE)
        self.sparse = _dense(to_dense) if to_dense is not None else None
        unify = combining._tf_layers.get(f"unify_dims_before_seq_sent_concat.{SENTENCE}")
        self.hidden = (_ffnn(unify) if unify is not None else []) + _ffnn(
            sequence_layer._tf_layers[sequence_layer.FFNN]
        )
        self.embed = _dense(model._tf_layers[f"embed.{TEXT}"]._dense)
        if model.all_labels_embed is None:  # Rasa computes it on the first prediction
            model._training = False  # as Rasa's prediction does: no dropout
            _, model.all_labels_embed = model._create_all_labels()
        loss = model._tf_layers[f"loss.{LABEL}"]
        self.cosine = loss.similarity_type == COSINE
        self.labels = self._normalised(model.all_labels_embed.numpy())
        self.widths = (self.sparse[0].shape[0] if self.sparse else None, self._dense_width())

    def _dense_width(self) -> int:
        first_kernel = self.hidden[0][0] if self.hidden else self.embed[0]
        return first_kernel.shape[0] - (self.sparse[0].shape[1] if self.sparse else 0)

    def _normalised(self, vectors: np.ndarray) -> np.ndarray:
        if not self.cosine:
            return vectors
        return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)

    def accepts(self, features: list[Any]) -> bool:
        """Whether these sentence features have the widths the trained layers expect."""
        sparse = [f.shape[-1] for f in features if scipy.sparse.issparse(f)]
        dense = sum(f.shape[-1] for f in features if not scipy.sparse.issparse(f))
        expected_sparse = [self.widths[0]] if self.widths[0] is not None else []
        return sparse == expected_sparse and dense == self.widths[1]

    def __call__(self, features: list[Any]) -> np.ndarray:
        """Label confidences (softmax of the similarities), shaped (1, labels) as Rasa's.

        Only for features `accepts` let in.
        """
        parts = []
        for feature in features:
            if scipy.sparse.issparse(feature):  # accepts() let it in: self.sparse is set
                kernel, bias = self.sparse
                parts.append(_add_bias(feature.tocsr().astype(np.float32) @ kernel, bias))
            else:
                parts.append(np.asarray(feature, dtype=np.float32))
        x = np.concatenate(parts, axis=-1)
        for kernel, bias in self.hidden:
            x = gelu(_add_bias(x @ kernel, bias))
        embedded = self._normalised(_add_bias(x @ self.embed[0], self.embed[1]))
        similarities = embedded @ self.labels.T
        exp = np.exp(similarities - similarities.max(axis=-1, keepdims=True))
        return exp / exp.sum(axis=-1, keepdims=True)


def supports(model: RasaModel) -> bool:
    """Whether this lean network's similarities and confidences are ones computed here."""
    loss = model._tf_layers.get(f"loss.{LABEL}")
    return (
        loss is not None
        and loss.similarity_type in (INNER, COSINE)
        and loss.model_confidence == SOFTMAX
    )


def sentence_features(model_data: RasaModelData) -> list[Any] | None:
    """The one message's sentence features, in the order the network reads them."""
    arrays = model_data.data.get(TEXT, {}).get(SENTENCE)
    if not arrays or any(len(array) != 1 for array in arrays):
        return None
    return [array[0] for array in arrays]
