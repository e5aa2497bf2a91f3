"""Fixtures for the channel tests; each channel keeps its own in a named module."""

from tests.channels.sms_fixtures import sms_stack  # noqa: F401
