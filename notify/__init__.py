"""Delivering the outbox's notifications to the clinic."""
