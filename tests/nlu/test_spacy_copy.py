"""The NLU's spaCy copy (tools/spacy_nlu.py): no components, the same tokens and vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
import yaml

from tools.spacy_nlu import main, write_nlu_pipeline

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "build" / "spacy" / "en_core_web_md"
TEXTS = ["My 9mo isn't crawling yet!!", "do u take insurence?", "she's 2 1/2 & hates socks"]


def test_config_points_the_nlu_at_the_copy() -> None:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    spacy_nlp = next(step for step in pipeline if step["name"] == "SpacyNLP")
    assert spacy_nlp["model"] == "build/spacy/en_core_web_md_nlu"


def test_copy_keeps_tokens_and_vectors_without_components(tmp_path: Path) -> None:
    target = tmp_path / "nlu"
    write_nlu_pipeline(FULL, target)
    full, copy = spacy.load(FULL), spacy.load(target)
    assert copy.pipe_names == []
    assert full.pipe_names
    for text in TEXTS:
        a, b = full(text), copy(text)
        assert [t.text for t in a] == [t.text for t in b]
        assert np.allclose(a.vector, b.vector)
        assert all(np.allclose(x.vector, y.vector) for x, y in zip(a, b, strict=True))


def test_rewriting_replaces_an_older_copy(tmp_path: Path) -> None:
    target = tmp_path / "nlu"
    target.mkdir()
    (target / "stale.txt").write_text("old", encoding="utf-8")
    write_nlu_pipeline(FULL, target)
    assert not (target / "stale.txt").exists()
    assert (target / "meta.json").exists()


def test_wrong_arguments_print_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "SOURCE_DIR TARGET_DIR" in capsys.readouterr().err
