"""Custom Rasa input channels, registered by dotted path in credentials.yml.

They live outside `actions/` because Rasa (not the action server) loads them.
"""
