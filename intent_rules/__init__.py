"""Explicit requests that outrank the topic a message is about."""
