"""Shared pieces used by the actions, the channels and the tools."""
