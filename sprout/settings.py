"""Clinic settings: read once from clinic.yml, overridable by environment variables.

Everything the assistant says about the clinic (name, phone, hours, emergency
number) comes from here, so a clinic changes one file rather than hunting for
constants across the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
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


@dataclass(frozen=True)
class Settings:
    """Everything the action server needs to know about its deployment."""

    clinic: ClinicSettings
    database_url: str
    spacy_model: str
    # Where new bookings and handoff requests are sent: a webhook URL (the
    # clinic's CRM, a chat room, an email gateway) or, if unset, a JSON-lines file.
    notify_webhook_url: str | None
    notify_file: Path
    # Bookings made while the database is down wait here until it is back.
    spool_dir: Path


_LIST_FIELDS = {"website_origins"}


def _clinic_from(path: Path) -> ClinicSettings:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values: dict[str, object] = {}
    missing = []
    for field in fields(ClinicSettings):
        env_value = os.environ.get(f"SPROUT_CLINIC_{field.name.upper()}")
        if field.name in _LIST_FIELDS:
            items = env_value.split(",") if env_value else raw.get(field.name) or []
            values[field.name] = tuple(str(item).strip() for item in items if str(item).strip())
            continue
        value = env_value if env_value else raw.get(field.name)
        if value in (None, ""):
            missing.append(field.name)
        values[field.name] = str(value) if value is not None else ""
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
            "SPROUT_SPACY_MODEL", str(PROJECT_ROOT / "build" / "spacy" / "en_core_web_md")
        ),
        notify_webhook_url=os.environ.get("SPROUT_NOTIFY_WEBHOOK_URL") or None,
        notify_file=Path(
            os.environ.get("SPROUT_NOTIFY_FILE", PROJECT_ROOT / "var" / "notifications.jsonl")
        ),
        spool_dir=Path(os.environ.get("SPROUT_SPOOL_DIR", PROJECT_ROOT / "var" / "spool")),
    )
