"""Clinic settings: read once from clinic.yml, overridable by environment variables.

Everything the assistant says about the clinic (name, phone, hours, emergency
number) comes from here, so a clinic changes one file rather than hunting for
constants across the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLINIC_FILE = PROJECT_ROOT / "clinic.yml"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'sprout.db'}"


@dataclass(frozen=True)
class ClinicSettings:
    """What families are told about the clinic."""

    name: str
    phone: str
    email: str
    website: str
    hours: str
    emergency_number: str
    timezone: str
    default_phone_region: str
    # Web pages allowed to embed the chat widget (CORS); localhost is always allowed.
    website_origins: tuple[str, ...] = ()
    # Weekday ("mon".."sun") -> "HH:MM-HH:MM" in `timezone`; other days are closed.
    opening_hours: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Everything the action server needs to know about its deployment."""

    clinic: ClinicSettings
    database_url: str
    spacy_model: str
    # Where new bookings and handoff requests are sent: a webhook URL (the
    # clinic's CRM, a chat room, an email gateway) or, if unset, a JSON-lines file.
    notify_webhook_url: str | None
    # Shared secret for the webhook's X-Sprout-Signature (HMAC-SHA256) header.
    notify_webhook_secret: str | None
    notify_file: Path


_LIST_FIELDS = {"website_origins"}


def _clinic_from(path: Path) -> ClinicSettings:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values: dict[str, object] = {}
    missing = []
    for spec in fields(ClinicSettings):
        env_value = os.environ.get(f"SPROUT_CLINIC_{spec.name.upper()}")
        if spec.name == "opening_hours":
            hours = raw.get(spec.name) or {}
            if not isinstance(hours, dict):
                raise ValueError(f"{path}: opening_hours must map weekdays to hours")
            values[spec.name] = {str(k).lower()[:3]: str(v) for k, v in hours.items()}
            continue
        if spec.name in _LIST_FIELDS:
            items = env_value.split(",") if env_value else raw.get(spec.name) or []
            values[spec.name] = tuple(str(item).strip() for item in items if str(item).strip())
            continue
        value = env_value if env_value else raw.get(spec.name)
        if value in (None, ""):
            missing.append(spec.name)
        values[spec.name] = str(value) if value is not None else ""
    if missing:
        raise ValueError(f"{path} is missing clinic settings: {', '.join(missing)}")
    return ClinicSettings(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings on first use (never at import time)."""
    clinic_file = Path(os.environ.get("SPROUT_CLINIC_FILE", DEFAULT_CLINIC_FILE))
    return Settings(
        clinic=_clinic_from(clinic_file),
        database_url=os.environ.get("SPROUT_DATABASE_URL", DEFAULT_DATABASE_URL),
        spacy_model=os.environ.get(
            "SPROUT_SPACY_MODEL",
            str(PROJECT_ROOT / "build" / "spacy" / "en_core_web_md_actions"),
        ),
        notify_webhook_url=os.environ.get("SPROUT_NOTIFY_WEBHOOK_URL") or None,
        notify_webhook_secret=os.environ.get("SPROUT_NOTIFY_WEBHOOK_SECRET") or None,
        notify_file=Path(
            os.environ.get("SPROUT_NOTIFY_FILE", PROJECT_ROOT / "var" / "notifications.jsonl")
        ),
    )
