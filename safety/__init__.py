"""Safety checks that run before the classifier's opinion counts."""
