"""`sprout analytics ...` as staff run it: clear answers to bad input, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sprout(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPROUT_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'sprout.db'}"}
    env.pop("SPROUT_ANALYTICS_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "sprout", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_on_an_empty_database(tmp_path: Path) -> None:
    result = sprout(tmp_path, "analytics", "report", "--week", "2026-W48")
    assert result.returncode == 0, result.stderr
    assert "2026-11-23 00:00 to 2026-11-29 23:59 UTC" in result.stdout
    assert any(line.split() == ["Conversations", "0"] for line in result.stdout.splitlines())
    assert "0 (0.0 % of messages)" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["analytics"], "required"),
        (["analytics", "report", "--week", "2026-W60"], "not a week of that year"),
        (["analytics", "report", "--week", "last week"], "is not a week such as"),
        (["analytics", "report", "--since", "2026-13-01"], "is not a date"),
        (["analytics", "report", "--since", "2026-11-20", "--until", "2026-11-10"], "empty"),
        (["analytics", "report", "--week", "2026-W48", "--until", "2026-11-10"], "--until"),
        (["analytics", "report", "--week", "2026-W48", "--since", "2026-11-10"], "not allowed"),
        (["analytics", "report", "--limit", "0"], "above 0"),
        (["analytics", "consume", "--once", "--until-idle", "5"], "not allowed"),
        (["analytics", "consume", "--until-idle", "-1"], "positive"),
        (["--database-url", "not a url", "analytics", "report"], "not valid"),
    ],
)
def test_wrong_usage_is_one_sentence(tmp_path: Path, args: list[str], says: str) -> None:
    result = sprout(tmp_path, *args)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unreachable_broker_is_reported_without_its_password(tmp_path: Path) -> None:
    result = sprout(
        tmp_path, "analytics", "consume", "--once", "--amqp-url", "amqp://guest:s3cret@127.0.0.1:1/"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Could not use RabbitMQ at amqp://guest:***@127.0.0.1:1/")
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_unwritable_chart_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = sprout(tmp_path, "analytics", "report", "--chart", str(blocker / "week.png"))
    assert result.returncode == 1
    assert result.stderr.startswith("Could not write the chart")
