"""Rasa NLU component: an explicit booking request sets the `book_consultation` intent.

Runs after the classifiers and the fallback, and before the emergency guard, so
an emergency still wins.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from intent_rules.booking import asks_to_book
from intent_rules.override import IntentOverride


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BookingRequestGuard(IntentOverride):
    """Marks plain requests to book (typed, not button payloads)."""

    intent = "book_consultation"

    def applies(self, text: str) -> bool:
        return not text.startswith("/") and asks_to_book(text)
