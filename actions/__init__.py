"""Custom actions for Sprout, one module per capability."""
