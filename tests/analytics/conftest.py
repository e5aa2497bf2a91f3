"""Real services for the analytics tests: a throwaway PostgreSQL database and RabbitMQ names."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.support.databases import POSTGRES_URL, postgres_available

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def fresh_postgres_database() -> Iterator[str]:
    """CREATE DATABASE with a unique name; dropped (with any open sessions) afterwards."""
    if not postgres_available():
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is required for these tests")
    name = unique_name("sprout_analytics")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"create database {name}"))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"drop database if exists {name} with (force)"))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_postgres_database()


@pytest.fixture
def broker_names() -> tuple[str, str]:
    """A queue and exchange nobody else on this machine uses."""
    return unique_name("sprout_test_events"), unique_name("sprout_test_exchange")
