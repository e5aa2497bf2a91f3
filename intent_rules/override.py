"""A Rasa NLU component that sets an intent when a rule recognises the message.

Some requests are too important to leave to a classifier's confidence (an
emergency) or plain enough that a rule is more reliable (asking to book). Each
rule is a subclass naming its intent and how to recognise it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


class IntentOverride(GraphComponent):
    """Base class: put `intent` first, with full confidence, when `applies` says so."""

    intent: ClassVar[str]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        return cls()

    def applies(self, text: str) -> bool:
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self.applies(message.get(TEXT) or ""):
                continue
            chosen = {"name": self.intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != self.intent]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
