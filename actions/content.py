"""Clinic-editable message texts (content/*.yml), loaded once on first use."""

from __future__ import annotations

import string
from functools import cache
from typing import Any

import yaml

from sprout.settings import PROJECT_ROOT

CONTENT_DIR = PROJECT_ROOT / "content"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed content file content/<name>.yml."""
    return yaml.safe_load((CONTENT_DIR / f"{name}.yml").read_text(encoding="utf-8"))


class _KeepMissing(dict):
    """Leaves unknown placeholders visible instead of failing mid-conversation."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: Any) -> str:
    """Fill {placeholders}; None becomes an empty string."""
    clean = {k: "" if v is None else v for k, v in values.items()}
    return string.Formatter().vformat(template, (), _KeepMissing(clean))
