"""Pure-Python triage and age logic for Sprout, kept free of Rasa so it can be unit tested."""
