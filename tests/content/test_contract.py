"""Every public name in the behaviour contract exists in the trained domain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.shared.importers.importer import TrainingDataImporter

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT.parent / "shared" / "contract.md"

pytestmark = pytest.mark.skipif(not CONTRACT.exists(), reason="shared/contract.md not present")


def contract_tables() -> dict[str, list[list[str]]]:
    """Markdown tables of the contract, keyed by the first header cell."""
    tables: dict[str, list[list[str]]] = {}
    rows: list[list[str]] = []
    for line in [*CONTRACT.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif rows:
            tables[rows[0][0]] = rows[1:]
            rows = []
    return tables


@pytest.fixture(scope="module")
def domain():
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    return importer.get_domain()


def test_every_faq_key_has_an_answer(domain) -> None:
    keys = [row[0] for row in contract_tables()["key"]]
    assert len(keys) == 18
    for key in keys:
        assert f"utter_faq/{key}" in domain.responses, key


def test_every_intent_exists(domain) -> None:
    for row in contract_tables()["intent"]:
        for name in (n.strip() for n in row[0].split(",")):
            assert name in domain.intents, name
    assert "faq" in domain.retrieval_intents


# Words the contract puts in backticks that are Rasa's own vocabulary, not ours.
RASA_TERMS = {"active_loop", "parse_data", "intent_response_key", "rest"}


def test_every_named_slot_action_and_form_exists(domain) -> None:
    named = set(re.findall(r"`([a-z_]+)`", CONTRACT.read_text(encoding="utf-8")))
    slot_values = {
        str(value) for slot in domain.slots for value in getattr(slot, "values", None) or []
    }
    known = (
        {slot.name for slot in domain.slots}
        | set(domain.action_names_or_texts)
        | set(domain.form_names)
        | set(domain.intents)
        | set(domain.responses)
        | slot_values
        | RASA_TERMS
    )
    assert named - known == set()


def test_categorical_slots_take_the_contract_values(domain) -> None:
    slots = {slot.name: slot for slot in domain.slots}
    assert set(slots["visit_type"].values) >= {"in_home", "in_clinic", "virtual"}
    assert set(slots["recommended_therapy"].values) >= {"pt", "ot", "both", "other"}
