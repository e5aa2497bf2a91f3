"""The lean spaCy copies (tools/spacy_copies.py) behave exactly like the shipped model.

The NLU copy has no components and only lowercase words; the action server's copy has
the whole pipeline. Neither keeps the text of the vector keys. Each is compared with the
shipped model on every text it will see in the tests' data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
import yaml
from spacy.language import Language

from actions.logic.triage import assess
from bench.nlu import training_examples
from bench.nlu_eval import holdout
from bench.triage import CASES, load_cases
from tools.spacy_copies import (
    component_names,
    main,
    write_actions_pipeline,
    write_nlu_pipeline,
)

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "build" / "spacy" / "en_core_web_md"
DEV_CASES = ROOT / "tests" / "data" / "triage_dev.yml"
TEXTS = ["My 9mo isn't crawling yet!!", "do u take insurence?", "she's 2 1/2 & hates socks"]


def nlu_texts() -> list[str]:
    """Every training and held-out NLU example, lowercased as Rasa hands them to spaCy."""
    return [text.lower() for _, text in [*training_examples(), *holdout()]]


def triage_texts() -> list[str]:
    """Every triage development and held-out case, as parents wrote them."""
    return [text for path in (DEV_CASES, CASES) for text, _ in load_cases(path)]


def vectors(doc: spacy.tokens.Doc) -> np.ndarray:
    return np.array([t.vector for t in doc]).reshape(len(doc), -1)


@pytest.fixture(scope="module")
def full() -> Language:
    return spacy.load(FULL, exclude=["ner"])


@pytest.fixture(scope="module")
def nlu_copy(tmp_path_factory: pytest.TempPathFactory) -> Language:
    target = tmp_path_factory.mktemp("spacy") / "nlu"
    write_nlu_pipeline(FULL, target)
    return spacy.load(target)


@pytest.fixture(scope="module")
def actions_copy(tmp_path_factory: pytest.TempPathFactory) -> Language:
    target = tmp_path_factory.mktemp("spacy") / "actions"
    write_actions_pipeline(FULL, target)
    return spacy.load(target, exclude=["ner"])


def test_config_points_the_nlu_at_its_copy_and_lowercases() -> None:
    """The NLU copy leaves out capitalised words, which is safe only while Rasa lowercases."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    spacy_nlp = next(step for step in pipeline if step["name"] == "SpacyNLP")
    assert spacy_nlp["model"] == "build/spacy/en_core_web_md_nlu"
    assert spacy_nlp.get("case_sensitive") is False


def test_copies_leave_out_the_text_of_vector_keys(
    full: Language, nlu_copy: Language, actions_copy: Language
) -> None:
    assert len(full.vocab.strings) > 600_000
    assert len(nlu_copy.vocab.strings) < 40_000
    assert len(actions_copy.vocab.strings) < 40_000
    assert len(actions_copy.vocab.vectors.key2row) == len(full.vocab.vectors.key2row)


def test_nlu_copy_has_no_components_and_only_lowercase_words(
    full: Language, nlu_copy: Language
) -> None:
    assert nlu_copy.pipe_names == []
    assert full.pipe_names
    assert len(nlu_copy.vocab.vectors.key2row) < 0.6 * len(full.vocab.vectors.key2row)
    assert nlu_copy.vocab.has_vector("crawling") and not nlu_copy.vocab.has_vector("Crawling")
    assert full.vocab.has_vector("Crawling")


def test_every_nlu_text_gets_the_shipped_models_tokens_and_vectors(nlu_copy: Language) -> None:
    texts = nlu_texts() + [t.lower() for t in TEXTS]
    assert len(texts) > 2000
    shipped = spacy.load(FULL, exclude=component_names(FULL))
    for a, b in zip(shipped.pipe(texts), nlu_copy.pipe(texts), strict=True):
        assert [t.text for t in a] == [t.text for t in b]
        assert np.array_equal(vectors(a), vectors(b)), a.text


def test_actions_copy_parses_and_triages_like_the_shipped_model(
    full: Language, actions_copy: Language
) -> None:
    texts = triage_texts() + TEXTS
    assert len(texts) > 500
    for a, b in zip(full.pipe(texts), actions_copy.pipe(texts), strict=True):
        assert [(t.text, t.lemma_, t.tag_, t.dep_, t.head.i, t.norm_) for t in a] == [
            (t.text, t.lemma_, t.tag_, t.dep_, t.head.i, t.norm_) for t in b
        ]
        assert np.array_equal(vectors(a), vectors(b)), a.text
    for text in texts:
        assert assess(text, actions_copy) == assess(text, full), text


def test_rewriting_replaces_an_older_copy(tmp_path: Path) -> None:
    target = tmp_path / "nlu"
    target.mkdir()
    (target / "stale.txt").write_text("old", encoding="utf-8")
    write_nlu_pipeline(FULL, target)
    assert not (target / "stale.txt").exists()
    assert (target / "meta.json").exists()


def test_wrong_arguments_print_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["both", str(FULL), "x"]) == 2
    assert "nlu|actions SOURCE_DIR TARGET_DIR" in capsys.readouterr().err
