"""Classifiers that read a message's sentence features and skip its tokens' features.

DIET and the ResponseSelector without transformer layers and without entity
recognition compute a vector for every token (sparse-to-dense layers and the hidden
layers, position by position), then read only the sentence position's vector.
Nothing mixes positions, so the tokens' vectors never reach a prediction or a loss;
they were most of the networks' work, both in training and per message.

`IntentClassifier` (DIET) and the FAQ selector hand the networks one blank token
in place of the tokens' features. The sentence position sees exactly the same
inputs and weights, so a trained model answers the same either way (tested); the
networks simply stop computing vectors nobody reads. With transformer layers or
entity recognition switched on, the tokens matter and both behave exactly like
Rasa's own classes.

In training, the layer that turns the text's token features into vectors (a
sparse-to-dense layer with a row per vocabulary item, for the FAQ selector 512
units wide) only ever sees the blank token, whose vector reaches no loss: its
gradients are exactly zero and Adam leaves its weights as initialised. Rasa still
computed those gradients and Adam's update of every weight at every step: half of
each FAQ-selector step and a third of each DIET step. The networks here leave the
layer's weights out of the training step, so every other weight is trained exactly
as before (tested) and these keep their initial values, as they did.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import ENTITY_RECOGNITION, NUM_TRANSFORMER_LAYERS
from rasa.utils.tensorflow.models import RasaModel

from sprout import sentence_forward
from sprout.sentence_forward import SentenceForward

# Rasa's name for the layer that turns the text's token features into vectors.
TOKEN_LAYER = f"/concatenate_sparse_dense_features_{TEXT}_{FEATURE_TYPE_SEQUENCE}/"


def blank_token(features: Features) -> Features:
    """The same kind of token-level features, for a single token with no values."""
    width = features.features.shape[-1]
    if features.is_sparse():
        blank: Any = scipy.sparse.coo_matrix((1, width), dtype=features.features.dtype)
    else:
        blank = np.zeros((1, width), dtype=features.features.dtype)
    return Features(blank, features.type, features.attribute, features.origin)


def without_token_features(message: Message) -> Message:
    """A view of `message` whose text has one blank token instead of its tokens' features.

    The data (text, tokens, labels) is the same; only the features differ.
    """
    features = [
        blank_token(f) if f.attribute == TEXT and f.type == FEATURE_TYPE_SEQUENCE else f
        for f in message.features
    ]
    return Message(data=message.data, features=features)


def tokens_unused(config: dict[str, Any]) -> bool:
    """Whether a DIET-style network with this config ignores its tokens' vectors."""
    return config.get(NUM_TRANSFORMER_LAYERS) == 0 and not config.get(ENTITY_RECOGNITION)


def reads_only_tokens(weight: Any) -> bool:
    """Whether this weight belongs to a layer that sees only the text's token features."""
    return TOKEN_LAYER in weight.name


class TrainsSentenceWeights:
    """Mixin for Rasa's networks: training leaves out the weights only the blank token reads."""

    config: dict[str, Any]
    _training: bool | None

    @property
    def trainable_variables(self) -> list[Any]:
        # Rasa's train_step sets _training and reads this for the gradients and for
        # Adam's update; saving, loading and predicting see every weight.
        weights = super().trainable_variables  # type: ignore[misc]
        if self._training and tokens_unused(self.config):
            return [w for w in weights if not reads_only_tokens(w)]
        return weights


@cache
def training_sentence_weights(network: type[RasaModel]) -> type[RasaModel]:
    """Rasa's network class, training only the weights that reach a loss (same name)."""
    return type(network.__name__, (TrainsSentenceWeights, network), {"__doc__": network.__doc__})


class SentenceInput:
    """Mixin for DIET-style classifiers: feed only the sentence features when that is exact.

    A message's prediction then needs only the sentence path, which runs in NumPy
    (`sprout.sentence_forward`) unless Rasa asked for the networks' diagnostic data.
    """

    component_config: dict[str, Any]
    model: RasaModel | None
    _execution_context: Any

    def _create_model_data(self, training_data: list[Message], *args: Any, **kwargs: Any) -> Any:
        if tokens_unused(self.component_config):
            training_data = [without_token_features(m) for m in training_data]
        return super()._create_model_data(training_data, *args, **kwargs)  # type: ignore[misc]

    def _sentence_forward(self) -> SentenceForward | None:
        """The NumPy sentence path for the loaded network, built on first use."""
        model = self.model
        if model is None or not tokens_unused(self.component_config):
            return None
        if self._execution_context.should_add_diagnostic_data:
            return None
        cached = self.__dict__.get("_sprout_forward")
        if cached is None or cached[0] is not model:
            forward = SentenceForward(model) if sentence_forward.supports(model) else None
            cached = self.__dict__["_sprout_forward"] = (model, forward)
        return cached[1]

    def _predict(self, message: Message) -> Any:
        forward = self._sentence_forward()
        if forward is None:
            return super()._predict(message)  # type: ignore[misc]
        model_data = self._create_model_data([message], training=False)
        if model_data.is_empty():
            return None
        features = sentence_forward.sentence_features(model_data)
        if features is None or not forward.accepts(features):
            return super()._predict(message)  # type: ignore[misc]
        return {"i_scores": forward(features)}


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class IntentClassifier(SentenceInput, DIETClassifier):
    """Rasa's DIETClassifier, fed only what its predictions read."""

    @staticmethod
    def model_class() -> type[RasaModel]:
        return training_sentence_weights(DIETClassifier.model_class())
