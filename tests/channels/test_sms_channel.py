"""The SMS channel's configuration, refusals and storage, without a running server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import yaml
from sanic.request import RequestParameters
from sanic.response import HTTPResponse
from sqlalchemy import create_engine, inspect
from twilio.request_validator import RequestValidator

import storage.sms as sms_storage
from channels.sms import SmsConfig, SmsInput, conversation_key
from storage.sms import Choice, SmsStore

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = (
    "SPROUT_TWILIO_ACCOUNT_SID",
    "SPROUT_TWILIO_AUTH_TOKEN",
    "SPROUT_TWILIO_NUMBER",
    "SPROUT_SMS_PUBLIC_URL",
    "SPROUT_SMS_HASH_KEY",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _request(form: dict[str, str] | None = None, **overrides: object) -> SimpleNamespace:
    headers = dict(overrides.pop("headers", {}))  # type: ignore[call-overload]
    headers["content-type"] = "application/x-www-form-urlencoded"
    values = {
        "body": urlencode(form or {}).encode(),
        "headers": headers,
        "path": "/webhooks/sms/webhook",
        "scheme": "http",
        "host": "127.0.0.1:5005",
        "query_string": "",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


# ------------------------------------------------------------ configuration


def test_credentials_yml_registers_the_channel_without_placeholders(clean_env) -> None:
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert "channels.sms.SmsInput" in credentials
    entry = credentials["channels.sms.SmsInput"]
    assert "${" not in yaml.safe_dump(entry)
    channel = SmsInput.from_credentials(entry)
    assert channel.name() == "sms"
    assert not channel.config.configured  # `make run` works without Twilio


def test_environment_configures_and_credentials_win(clean_env) -> None:
    clean_env.setenv("SPROUT_TWILIO_AUTH_TOKEN", "from-env")
    clean_env.setenv("SPROUT_SMS_PUBLIC_URL", "https://env.example")
    config = SmsConfig.load({"public_url": "https://yml.example"})
    assert config.configured
    assert config.auth_token == "from-env"
    assert config.public_url == "https://yml.example"
    assert "from-env" not in repr(config)


def test_unconfigured_channel_answers_503(clean_env) -> None:
    channel = SmsInput(SmsConfig())
    refusal = channel._check(_request(headers={"X-Twilio-Signature": "anything"}))
    assert isinstance(refusal, HTTPResponse) and refusal.status == 503
    assert b"SMS channel not configured" in refusal.body


def test_signature_is_checked_against_the_public_url() -> None:
    config = SmsConfig(auth_token="token", public_url="https://clinic.example/bot/")
    channel = SmsInput(config, store_factory=lambda: pytest.fail("no storage before checks"))
    form = {"Body": "", "From": "+15550100000", "MessageSid": "SM1", "NumMedia": "1"}
    good = RequestValidator("token").compute_signature(
        "https://clinic.example/bot/webhooks/sms/webhook?x=1", form
    )
    checked = channel._check(
        _request(form=form, query_string="x=1", headers={"X-Twilio-Signature": good})
    )
    assert isinstance(checked, RequestParameters)
    assert checked.get("Body") == ""  # blank values are signed too, so they are kept
    local = RequestValidator("token").compute_signature(
        "http://127.0.0.1:5005/webhooks/sms/webhook?x=1", form
    )
    refusal = channel._check(
        _request(form=form, query_string="x=1", headers={"X-Twilio-Signature": local})
    )
    assert isinstance(refusal, HTTPResponse) and refusal.status == 403


def test_oversized_request_is_refused() -> None:
    channel = SmsInput(SmsConfig(auth_token="token"))
    refusal = channel._check(_request(body=b"x" * 100_000))
    assert isinstance(refusal, HTTPResponse) and refusal.status == 413


def test_conversation_key_is_a_keyed_hash() -> None:
    number = "+15550100123"
    assert conversation_key(number, "k1") == conversation_key(f" {number} ", "k1")
    assert conversation_key(number, "k1") != conversation_key(number, "k2")
    assert "5550100123" not in conversation_key(number, "k1")
    assert conversation_key(number, "k1").startswith("sms-")


# ------------------------------------------------------------ storage


@pytest.fixture
def store(tmp_path: Path) -> SmsStore:
    return SmsStore.from_url(f"sqlite:///{tmp_path / 'nested' / 'sms.db'}")


def test_sms_tables_come_from_the_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sms.db'}"
    SmsStore.from_url(url)
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {
        "sprout_sms_inbound",
        "sprout_sms_opt_outs",
        "sprout_sms_choices",
        "sprout_sms_delivery_failures",
        "alembic_version",
    } <= tables


def test_message_sid_is_claimed_once(store: SmsStore) -> None:
    assert store.claim_message("SM1", "sms-a")
    assert not store.claim_message("SM1", "sms-a")
    assert store.claim_message("SM2", "sms-a")


def test_opt_out_and_back_in(store: SmsStore) -> None:
    assert not store.is_opted_out("sms-a")
    store.set_opted_out("sms-a", True)
    assert store.is_opted_out("sms-a") and not store.is_opted_out("sms-b")
    store.set_opted_out("sms-a", False)
    assert not store.is_opted_out("sms-a")


def test_choices_are_replaced_cleared_and_expire(
    store: SmsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_choices("sms-a", [Choice("A", "/a"), Choice("B", "/b")])
    assert store.choices("sms-a") == [Choice("A", "/a"), Choice("B", "/b")]
    store.save_choices("sms-a", [Choice("C", "/c")])
    assert store.choices("sms-a") == [Choice("C", "/c")]
    assert store.choices("sms-b") == []
    monkeypatch.setattr(sms_storage, "CHOICES_TTL", timedelta(seconds=-1))
    assert store.choices("sms-a") == []
    store.save_choices("sms-a", [])
    monkeypatch.undo()
    assert store.choices("sms-a") == []


def test_delivery_failures_are_deduplicated_newest_first(store: SmsStore) -> None:
    store.record_delivery_failure("SM1", "failed", "30003", "sms-a")
    store.record_delivery_failure("SM1", "failed", "30003", "sms-a")
    store.record_delivery_failure("SM2", "undelivered", None, None)
    failures = store.recent_failures()
    assert [f.message_sid for f in failures] == ["SM2", "SM1"]
    assert failures[1].error_code == "30003"
