"""Deployment profiles: which stores Rasa uses, chosen by SPROUT_PROFILE.

`default` (what `make run` uses) keeps conversations in memory and needs no
other service. `production` keeps them in PostgreSQL, serialises each
conversation through Redis (needed once several Rasa processes serve the same
conversations) and publishes every event to RabbitMQ.

The endpoints YAML made here names environment variables (`${VAR}`), never
their values: Rasa expands them when it reads the file, so no password is ever
written to disk. Non-secret settings that are unset get a literal default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

PROFILE_VAR = "SPROUT_PROFILE"
DEFAULT = "default"
PRODUCTION = "production"
PROFILES = (DEFAULT, PRODUCTION)

# Lock store class: Rasa's RedisLockStore with atomic ticket updates (storage/lock_store.py).
LOCK_STORE_CLASS = "storage.lock_store.AtomicRedisLockStore"
DEFAULT_LOCK_LIFETIME_S = "10"


class ProfileError(ValueError):
    """The profile name or its settings are wrong; the message says how to fix it."""


@dataclass(frozen=True)
class Setting:
    """One environment variable of the production profile."""

    name: str
    meaning: str
    default: str | None = None  # None: required
    secret: bool = False


PRODUCTION_SETTINGS = (
    Setting(
        "SPROUT_TRACKER_DB_URL",
        "SQLAlchemy URL of the PostgreSQL tracker store, "
        "e.g. postgresql+psycopg2://sprout:PASSWORD@db:5432/sprout",
        secret=True,
    ),
    Setting("SPROUT_REDIS_HOST", "Redis host for the lock store", "127.0.0.1"),
    Setting("SPROUT_REDIS_PORT", "Redis port", "6379"),
    Setting("SPROUT_REDIS_DB", "Redis database number", "1"),
    Setting("SPROUT_REDIS_PASSWORD", "Redis password (optional)", "", secret=True),
    Setting("SPROUT_LOCK_PREFIX", "prefix of the lock keys (letters and digits)", "sprout"),
    Setting(
        "SPROUT_RABBITMQ_URL",
        "amqp://user:password@host:5672/, instead of the four variables below",
        "",
        secret=True,
    ),
    Setting("SPROUT_RABBITMQ_HOST", "RabbitMQ host for the event broker", "127.0.0.1"),
    Setting("SPROUT_RABBITMQ_PORT", "RabbitMQ port", "5672"),
    Setting("SPROUT_RABBITMQ_USER", "RabbitMQ user", secret=True),
    Setting("SPROUT_RABBITMQ_PASSWORD", "RabbitMQ password", secret=True),
    Setting(
        "SPROUT_EVENTS_QUEUE",
        "durable queue that receives every event; the analytics consumer's by default",
        "sprout_analytics",
    ),
    Setting("SPROUT_EVENTS_EXCHANGE", "fanout exchange the queue is bound to", "rasa-exchange"),
)


def profile_name(env: Mapping[str, str] | None = None) -> str:
    """The profile SPROUT_PROFILE names; `default` when unset or empty."""
    env = os.environ if env is None else env
    name = (env.get(PROFILE_VAR) or DEFAULT).strip().lower()
    if name not in PROFILES:
        raise ProfileError(
            f"{PROFILE_VAR}={env.get(PROFILE_VAR)!r} is not a profile; use one of: "
            + ", ".join(PROFILES)
        )
    return name


def _with_rabbitmq_url(env: Mapping[str, str]) -> dict[str, str]:
    """Host, port, user and password from SPROUT_RABBITMQ_URL, for those not set apart.

    The analytics consumer reads the broker from that one URL, so a deployment
    can set it once for both.
    """
    merged = dict(env)
    url = env.get("SPROUT_RABBITMQ_URL")
    if not url:
        return merged
    parts = urlsplit(url)
    if parts.scheme not in ("amqp", "amqps") or not parts.hostname:
        raise ProfileError("SPROUT_RABBITMQ_URL must look like amqp://user:password@host:5672/")
    derived = {
        "SPROUT_RABBITMQ_HOST": parts.hostname,
        "SPROUT_RABBITMQ_PORT": str(parts.port or 5672),
        "SPROUT_RABBITMQ_USER": unquote(parts.username or ""),
        "SPROUT_RABBITMQ_PASSWORD": unquote(parts.password or ""),
    }
    for name, value in derived.items():
        if value and not merged.get(name):
            merged[name] = value
    return merged


def _check(env: Mapping[str, str]) -> None:
    missing = [s.name for s in PRODUCTION_SETTINGS if s.default is None and not env.get(s.name)]
    if missing:
        hint = " (or SPROUT_RABBITMQ_URL)" if any("RABBITMQ" in name for name in missing) else ""
        raise ProfileError(
            "the production profile needs these environment variables: " + ", ".join(missing) + hint
        )
    url = env["SPROUT_TRACKER_DB_URL"]
    if not url.startswith("postgresql"):
        raise ProfileError(
            "SPROUT_TRACKER_DB_URL must be a PostgreSQL URL starting with postgresql:// "
            "or postgresql+psycopg2://"
        )
    bookings = env.get("SPROUT_DATABASE_URL", "")
    if bookings and not bookings.startswith("postgresql"):
        raise ProfileError(
            "in the production profile SPROUT_DATABASE_URL must be PostgreSQL too "
            "(or unset, to keep bookings in the tracker store's database)"
        )
    prefix = env.get("SPROUT_LOCK_PREFIX") or "sprout"
    if not prefix.isalnum():
        raise ProfileError("SPROUT_LOCK_PREFIX may contain only letters and digits")
    for name in ("SPROUT_REDIS_PORT", "SPROUT_REDIS_DB", "SPROUT_RABBITMQ_PORT"):
        if env.get(name) and not env[name].isdigit():
            raise ProfileError(f"{name} must be a number, not {env[name]!r}")


def _value(setting: Setting, env: Mapping[str, str]) -> str:
    """`${NAME}` when set (or secret); otherwise the literal non-secret default."""
    if env.get(setting.name) or setting.secret:
        return "${" + setting.name + "}"
    return f'"{setting.default}"'


def production_endpoints(env: Mapping[str, str]) -> str:
    """Tracker store, lock store and event broker for the production profile."""
    env = _with_rabbitmq_url(env)
    _check(env)
    v = {s.name: _value(s, env) for s in PRODUCTION_SETTINGS}
    redis_password = (
        f"  password: {v['SPROUT_REDIS_PASSWORD']}\n" if env.get("SPROUT_REDIS_PASSWORD") else ""
    )
    return (
        "tracker_store:\n"
        "  type: SQL\n"
        f"  url: {v['SPROUT_TRACKER_DB_URL']}\n"
        "lock_store:\n"
        f"  type: {LOCK_STORE_CLASS}\n"
        f"  url: {v['SPROUT_REDIS_HOST']}\n"
        f"  port: {v['SPROUT_REDIS_PORT']}\n"
        f"  db: {v['SPROUT_REDIS_DB']}\n"
        f"{redis_password}"
        f"  key_prefix: {v['SPROUT_LOCK_PREFIX']}\n"
        "event_broker:\n"
        "  type: pika\n"
        f"  url: {v['SPROUT_RABBITMQ_HOST']}\n"
        f"  port: {v['SPROUT_RABBITMQ_PORT']}\n"
        f"  username: {v['SPROUT_RABBITMQ_USER']}\n"
        f"  password: {v['SPROUT_RABBITMQ_PASSWORD']}\n"
        f"  exchange_name: {v['SPROUT_EVENTS_EXCHANGE']}\n"
        "  queues:\n"
        f"    - {v['SPROUT_EVENTS_QUEUE']}\n"
        # Fail fast at start-up instead of retrying 20 x 5 s when RabbitMQ is unreachable.
        "  connection_attempts: 3\n"
        "  retry_delay_in_seconds: 2\n"
    )


# The default profile keeps conversations in this process's memory, handing Rasa only
# the recent window of a long conversation (storage/conversation_store.py).
DEFAULT_ENDPOINTS = (
    "tracker_store:\n  type: storage.conversation_store.WindowedTrackerStore\n  keep_turns: 6\n"
)


def endpoints_for(env: Mapping[str, str] | None = None) -> str:
    """Endpoints YAML to append for the profile in env."""
    env = os.environ if env is None else env
    if profile_name(env) == DEFAULT:
        return DEFAULT_ENDPOINTS
    return production_endpoints(env)


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """Variables the servers need beyond env.

    Bookings follow the tracker database unless SPROUT_DATABASE_URL says otherwise,
    the broker settings taken from SPROUT_RABBITMQ_URL are passed on, and Rasa's
    TICKET_LOCK_LIFETIME gets a short default.
    """
    if profile_name(env) != PRODUCTION:
        return {}
    merged = _with_rabbitmq_url(env)
    added = {k: v for k, v in merged.items() if env.get(k) != v}
    if not env.get("SPROUT_DATABASE_URL"):
        added["SPROUT_DATABASE_URL"] = env["SPROUT_TRACKER_DB_URL"]
    if not env.get("TICKET_LOCK_LIFETIME"):
        # Live tickets are renewed (storage/lock_store.py), so this only bounds how long
        # a crashed server's ticket holds up its conversation: well under the 30 s
        # after which the REST channel gives up on a turn.
        added["TICKET_LOCK_LIFETIME"] = DEFAULT_LOCK_LIFETIME_S
    return added


def describe() -> str:
    """The production profile's variables, one a line, for --help texts and errors."""
    lines = []
    for s in PRODUCTION_SETTINGS:
        default = "required" if s.default is None else f"default {s.default or '(none)'}"
        lines.append(f"  {s.name:26} {s.meaning} ({default})")
    return "\n".join(lines)
