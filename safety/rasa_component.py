"""Rasa NLU component: an emergency found by safety.emergency overrides the intent.

It runs after the classifiers and the fallback, so an emergency is recognised in
any state of the conversation, including inside forms, whatever DIET thought.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from intent_rules.override import IntentOverride
from safety.emergency import looks_like_emergency


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(IntentOverride):
    """Marks messages that describe an emergency with the `emergency` intent."""

    intent = "emergency"

    def applies(self, text: str) -> bool:
        return looks_like_emergency(text)
