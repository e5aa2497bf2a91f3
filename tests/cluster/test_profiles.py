"""SPROUT_PROFILE: the endpoints each profile gives Rasa, and clear errors for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.utils.endpoints import read_endpoint_config

from tools import profiles
from tools.profiles import ProfileError, child_env, endpoints_for, profile_name

PRODUCTION = {
    "SPROUT_PROFILE": "production",
    "SPROUT_TRACKER_DB_URL": "postgresql+psycopg2://sprout:db-s3cret@db:5432/sprout",
    "SPROUT_RABBITMQ_USER": "sprout",
    "SPROUT_RABBITMQ_PASSWORD": "mq-s3cret",
    "SPROUT_REDIS_PASSWORD": "redis-s3cret",
}


def test_default_profile_needs_no_other_service() -> None:
    assert profile_name({}) == "default"
    text = endpoints_for({})
    assert endpoints_for({"SPROUT_PROFILE": " Default "}) == text
    assert "lock_store" not in text and "event_broker" not in text
    assert "type: SQL" not in text and "${" not in text
    assert child_env({}) == {}


def test_unknown_profile_is_named_in_the_error() -> None:
    with pytest.raises(ProfileError, match="'staging' is not a profile; use one of: default"):
        profile_name({"SPROUT_PROFILE": "staging"})


def test_missing_settings_are_all_listed() -> None:
    with pytest.raises(ProfileError) as error:
        endpoints_for({"SPROUT_PROFILE": "production"})
    for name in ("SPROUT_TRACKER_DB_URL", "SPROUT_RABBITMQ_USER", "SPROUT_RABBITMQ_PASSWORD"):
        assert name in str(error.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SPROUT_TRACKER_DB_URL": "sqlite:///x.db"}, "must be a PostgreSQL URL"),
        ({"SPROUT_DATABASE_URL": "sqlite:///x.db"}, "SPROUT_DATABASE_URL must be PostgreSQL"),
        ({"SPROUT_LOCK_PREFIX": "my-prefix"}, "only letters and digits"),
        ({"SPROUT_REDIS_PORT": "six"}, "SPROUT_REDIS_PORT must be a number"),
        ({"SPROUT_RABBITMQ_URL": "http://x"}, "amqp://user:password@host:5672/"),
    ],
)
def test_wrong_settings_get_a_sentence(change: dict[str, str], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        endpoints_for({**PRODUCTION, **change})


def test_production_endpoints_name_secrets_but_never_contain_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = endpoints_for(PRODUCTION)
    for secret in ("db-s3cret", "mq-s3cret", "redis-s3cret"):
        assert secret not in text
    for name, value in {**PRODUCTION, **child_env(PRODUCTION)}.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "endpoints.yml"
    path.write_text(text, encoding="utf-8")

    tracker = read_endpoint_config(str(path), "tracker_store")
    assert (tracker.type, tracker.url) == ("SQL", PRODUCTION["SPROUT_TRACKER_DB_URL"])
    lock = read_endpoint_config(str(path), "lock_store")
    assert lock.type == profiles.LOCK_STORE_CLASS
    assert lock.kwargs["password"] == "redis-s3cret"
    assert lock.kwargs["key_prefix"] == "sprout"
    broker = read_endpoint_config(str(path), "event_broker")
    assert broker.type == "pika"
    assert broker.kwargs["password"] == "mq-s3cret"
    assert broker.kwargs["queues"] == ["sprout_analytics"]
    assert broker.kwargs["exchange_name"] == "rasa-exchange"


def test_bookings_follow_the_tracker_database_unless_set() -> None:
    assert child_env(PRODUCTION)["SPROUT_DATABASE_URL"] == PRODUCTION["SPROUT_TRACKER_DB_URL"]
    assert child_env(PRODUCTION)["TICKET_LOCK_LIFETIME"] == "10"
    assert "TICKET_LOCK_LIFETIME" not in child_env({**PRODUCTION, "TICKET_LOCK_LIFETIME": "30"})
    own = {**PRODUCTION, "SPROUT_DATABASE_URL": "postgresql://bookings@db/b"}
    assert "SPROUT_DATABASE_URL" not in child_env(own)


def test_one_rabbitmq_url_serves_for_the_broker() -> None:
    env = {
        "SPROUT_PROFILE": "production",
        "SPROUT_TRACKER_DB_URL": PRODUCTION["SPROUT_TRACKER_DB_URL"],
        "SPROUT_RABBITMQ_URL": "amqp://sprout:p%40ss@mq.internal:5673/",
        "SPROUT_EVENTS_QUEUE": "events_for_tests",
    }
    text = endpoints_for(env)
    assert "p@ss" not in text and "${SPROUT_RABBITMQ_PASSWORD}" in text
    assert "${SPROUT_EVENTS_QUEUE}" in text
    added = child_env(env)
    assert added["SPROUT_RABBITMQ_HOST"] == "mq.internal"
    assert added["SPROUT_RABBITMQ_PORT"] == "5673"
    assert added["SPROUT_RABBITMQ_PASSWORD"] == "p@ss"
