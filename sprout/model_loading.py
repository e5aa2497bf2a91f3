"""Loading a trained model for answering: no training step, and spaCy loaded once.

Rasa 3.6 creates a network's weights before restoring them by running one Keras
`fit` step on an example batch: that traces the whole training graph with its
gradients and builds the optimizer's state, none of which answering a message uses.
It was about 4 of the Rasa server's 9 s of model loading and about 390 MB of its
memory. Here the example batch goes once through the model's loss in eager mode,
which creates exactly the same weights; the trained values are then restored as
before, and the warm-up prediction is unchanged. Loading for fine-tuning keeps
Rasa's own path, since it needs the optimizer.

Rasa's predict graph also builds the SpacyNLP component twice (one node provides the
spaCy model, the other runs it), and each loads the spaCy model from disk; only the
first copy is ever used. Here a second load of the same model returns the first.
"""

from __future__ import annotations

from typing import Any

from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.utils.tensorflow.models import LEARNING_RATE, RUN_EAGERLY, RasaModel

_original_load = RasaModel.load.__func__  # type: ignore[attr-defined]
_original_spacy_load = SpacyNLP.load_model
_spacy_models: dict[str, SpacyModel] = {}


def load_spacy_once(spacy_model_name: str) -> SpacyModel:
    """Rasa's spaCy loading, remembered per model name for the life of the process."""
    loaded = _spacy_models.get(spacy_model_name)
    if loaded is None:
        loaded = _spacy_models[spacy_model_name] = _original_spacy_load(spacy_model_name)
    return loaded


def load_for_inference(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load` with the weights built by one eager forward pass, not a fit step."""
    if finetune_mode:
        return _original_load(
            cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs
        )
    import tensorflow as tf
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    batch_in, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model._training = True  # the loss path touches every layer, as training does
    model.batch_loss(batch_in)
    model._training = False
    # The checkpoint also holds the optimizer's state, which answering never needs.
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


def apply() -> None:
    RasaModel.load = classmethod(load_for_inference)  # type: ignore[method-assign,assignment]
    SpacyNLP.load_model = staticmethod(load_spacy_once)  # type: ignore[method-assign]


def remove() -> None:
    RasaModel.load = classmethod(_original_load)  # type: ignore[method-assign,assignment]
    SpacyNLP.load_model = staticmethod(_original_spacy_load)  # type: ignore[method-assign]
    _spacy_models.clear()
