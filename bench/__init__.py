"""Benchmarks: NLU quality against baselines, and serving speed against stock Rasa."""
