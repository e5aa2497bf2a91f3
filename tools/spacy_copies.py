"""Write the two lean copies of the shipped spaCy model that Sprout loads.

Both copies leave out the text of the model's vector keys. spaCy finds a word's
vector by the hash of the word, so that text is never read, yet loading it was the
largest part of the model's memory: 685,000 strings, about 140 MB in each process.

* `nlu`: what the Rasa NLU reads, the tokenizer, vocabulary and vectors, with no
  components. Rasa's SpacyNLP runs every component of the model it loads on every
  message, but the NLU features need only tokens and word vectors, and held-out
  accuracy is the same without the tagger, parser and entity recogniser
  (`make bench-nlu`). Words spelt with capitals are left out too: config.yml sets
  `case_sensitive: false`, so Rasa lowercases every text before spaCy sees it and such
  a word can never be looked up.
* `actions`: the whole pipeline, for triage in the action server, with every word.

    python -m tools.spacy_copies nlu|actions SOURCE_DIR TARGET_DIR
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


def component_names(model_dir: Path) -> list[str]:
    """The pipeline's components, read from its config without loading them."""
    from spacy.util import load_config

    return list(load_config(model_dir / "config.cfg")["nlp"]["pipeline"])


def drop_capitalised_words(nlp: Language) -> int:
    """Remove the vector keys of words spelt with capitals; return how many went."""
    strings, key2row = nlp.vocab.strings, nlp.vocab.vectors.key2row
    dropped = [key for key in key2row if strings[key] != strings[key].lower()]
    for key in dropped:
        del key2row[key]
    return len(dropped)


def drop_vector_key_strings(model_dir: Path, source: Path) -> None:
    """Rewrite the copy's strings without the text of any of the source's vector keys."""
    import srsly
    from spacy.strings import hash_string

    keys = set(srsly.read_msgpack(source / "vocab" / "key2row"))
    strings_file = model_dir / "vocab" / "strings.json"
    strings = srsly.read_json(strings_file)
    srsly.write_json(strings_file, [s for s in strings if hash_string(s) not in keys])


def _write(source: Path, target: Path, fill: Callable[[Path], None]) -> None:
    """Build the copy beside the target, then swap it in, so a half-written copy is never used."""
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    fill(staging)
    drop_vector_key_strings(staging, source)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def write_nlu_pipeline(source: Path, target: Path) -> None:
    """Tokenizer, lowercase vocabulary and vectors only, where config.yml points."""
    import spacy

    def fill(staging: Path) -> None:
        nlp = spacy.load(source, exclude=component_names(source))
        drop_capitalised_words(nlp)
        nlp.to_disk(staging)

    _write(source, target, fill)


def write_actions_pipeline(source: Path, target: Path) -> None:
    """The whole pipeline with every word and vector, for the action server."""
    _write(source, target, lambda staging: shutil.copytree(source, staging))


WRITERS = {"nlu": write_nlu_pipeline, "actions": write_actions_pipeline}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in WRITERS:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    WRITERS[argv[0]](Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
