"""Write the spaCy pipeline the Rasa NLU uses: the shipped model's vocabulary and vectors only.

Rasa's SpacyNLP runs every component of the model it loads on every message, but the NLU
features need only spaCy's tokens and word vectors (the count-vector and lexical
featurizers read the token text, and the classifiers do not use tags or parses).
Running tagger, parser and entity recogniser was most of spaCy's share of a turn,
and held-out accuracy is the same without them (`make bench-nlu`), so the NLU gets a
copy with no components. Triage (the action server) keeps the full pipeline.

    python -m tools.spacy_nlu SOURCE_DIR TARGET_DIR
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def write_nlu_pipeline(source: Path, target: Path) -> None:
    """Save the model's tokenizer, vocabulary and vectors where config.yml points."""
    import spacy

    full = spacy.load(source)
    nlp = spacy.load(source, exclude=list(full.component_names))
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    write_nlu_pipeline(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
