"""One production-profile cluster (2 Rasa, 1 action server, HAProxy) for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.cluster import Cluster, running_cluster
from tools.scratch import Scratch, scratch_services


@pytest.fixture(scope="module")
def scratch() -> Iterator[Scratch]:
    """A fresh PostgreSQL database, Redis prefix and RabbitMQ queue, removed afterwards."""
    try:
        with scratch_services("cluster") as services:
            yield services
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def cluster(
    trained_model: Path, scratch: Scratch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    logs = tmp_path_factory.mktemp("cluster-logs")
    env = {
        **scratch.env,
        "SPROUT_NOTIFY_FILE": str(logs / "notifications.jsonl"),
    }
    with running_cluster(
        trained_model, rasa_instances=2, action_servers=1, env=env, log_dir=logs
    ) as running:
        yield running
