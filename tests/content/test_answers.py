"""FAQ answers: short enough for SMS, grounded in the clinic's material, never a diagnosis."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sprout.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT.parent / "shared" / "sources"
MAX_ANSWER_CHARS = 600
FORBIDDEN = ("your child has", "definitely", "guarantee", "cure ", "cured", "diagnos")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def faq_responses() -> dict[str, list[dict]]:
    data = yaml.safe_load((ROOT / "data" / "responses" / "faq.yml").read_text(encoding="utf-8"))
    return data["responses"]


def domain_responses() -> dict[str, list[dict]]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def filled(text: str) -> str:
    clinic = get_settings().clinic
    values = {
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_hours": clinic.hours,
        "emergency_number": clinic.emergency_number,
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def test_eighteen_faq_answers() -> None:
    assert len(faq_responses()) == 18


@pytest.mark.parametrize("name", sorted(faq_responses()))
def test_answer_fits_four_sms_segments(name: str) -> None:
    for variant in faq_responses()[name]:
        assert len(filled(variant["text"])) <= MAX_ANSWER_CHARS


@pytest.mark.parametrize("name", sorted({**faq_responses(), **domain_responses()}))
def test_no_diagnosis_or_promises(name: str) -> None:
    for variant in {**faq_responses(), **domain_responses()}[name]:
        lowered = variant["text"].lower()
        assert not [
            word for word in FORBIDDEN if word in lowered and "can't diagnose" not in lowered
        ]


def test_placeholders_are_known_slots() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for responses in (faq_responses(), domain_responses()):
        for variants in responses.values():
            for variant in variants:
                for name in PLACEHOLDER.findall(variant["text"]):
                    assert name in domain["slots"], name


def test_health_answers_carry_the_information_note() -> None:
    for key in ("signs_baby_needs_pt", "when_to_see_pediatrician", "newborn_safety"):
        text = faq_responses()[f"utter_faq/{key}"][0]["text"].lower()
        assert "not medical advice" in text, key


def test_every_answer_names_its_source() -> None:
    sources = yaml.safe_load((ROOT / "content" / "answer_sources.yml").read_text(encoding="utf-8"))
    keys = {name.removeprefix("utter_faq/") for name in faq_responses()}
    assert set(sources) == keys
    for key, entry in sources.items():
        assert entry["sources"], key


@pytest.mark.skipif(not SOURCES.exists(), reason="shared/sources not present")
def test_source_sections_exist_in_the_clinic_material() -> None:
    sources = yaml.safe_load((ROOT / "content" / "answer_sources.yml").read_text(encoding="utf-8"))
    for key, entry in sources.items():
        for ref in entry["sources"]:
            lines = {
                line.strip()
                for line in (SOURCES / ref["file"]).read_text(encoding="utf-8").splitlines()
            }
            assert ref["section"] in lines, (key, ref)


@pytest.mark.skipif(not SOURCES.exists(), reason="shared/sources not present")
def test_answers_are_paraphrased_not_copied() -> None:
    """No run of eight words in a row is lifted from the clinic's documents."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))

    source_words = [words(p.read_text(encoding="utf-8")) for p in SOURCES.glob("*.txt")]
    source_runs = {tuple(ws[i : i + 8]) for ws in source_words for i in range(len(ws) - 7)}
    for name, variants in faq_responses().items():
        ws = words(variants[0]["text"])
        copied = [
            " ".join(ws[i : i + 8])
            for i in range(len(ws) - 7)
            if tuple(ws[i : i + 8]) in source_runs
        ]
        assert not copied, (name, copied)
