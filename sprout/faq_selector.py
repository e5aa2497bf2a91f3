"""The FAQ response selector, run only for messages the intent classifier calls `faq`.

Rasa's ResponseSelector picks an FAQ answer for every message, although the answer
is only ever used when the intent is `faq`; for greetings, concerns and booking
turns its network pass is about a tenth of the Rasa server's CPU per message.
This subclass trains exactly like ResponseSelector and gives FAQ messages the same
`response_selector` parse data; other messages simply carry none.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.models import RasaModel

from sprout.sentence_input import SentenceInput, training_sentence_weights


def classified_as(message: Message, intent: str) -> bool:
    """Whether the classifiers before this component put `intent` on top."""
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(SentenceInput, ResponseSelector):
    """ResponseSelector that skips messages whose intent is not its retrieval intent.

    Like the intent classifier, it is fed only the sentence features it reads
    (`sprout.sentence_input`), and trains only the weights that reach a loss.
    """

    @staticmethod
    def model_class(use_text_as_label: bool) -> type[RasaModel]:  # type: ignore[override]
        return training_sentence_weights(ResponseSelector.model_class(use_text_as_label))

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.retrieval_intent:  # selecting across all retrieval intents: no filter
            return super().process(messages)
        wanted = [m for m in messages if classified_as(m, self.retrieval_intent)]
        if wanted:
            super().process(wanted)
        return messages
