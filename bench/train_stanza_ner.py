"""Train a Stanza BiLSTM-CRF NER model on ANERcorp train (model selection on dev), with
word vectors learned here (PPMI-SVD, :func:`extract.ner.clusters.word_vectors`) as its
pretrain file. The result is a flat directory (``ner.pt``, ``pretrain.pt``) for
``Pipeline(ner="stanza", ner_model=DIR)`` and ``bench/bench_ner.py --stanza DIR``.

    .venv/bin/python bench/train_stanza_ner.py --out /tmp/stanza-anercorp [--steps 1500]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NER_DATA = Path(os.environ.get("EXTRACT_SHARED", ROOT.parent / "shared")).resolve() / "data" / "ner"


def write_bio(sentences, path: Path) -> None:
    """Sentences of (pipeline tokens, tags) as a ``token<TAB>tag`` file."""
    blocks = ["\n".join(f"{t.text}\t{tag}" for t, tag in zip(tokens, tags)) for tokens, tags in sentences]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    from stanza.models import ner_tagger
    from stanza.models.common.pretrain import Pretrain
    from stanza.utils.datasets.ner.prepare_ner_file import process_dataset

    from extract.ner.clusters import word_vectors
    from extract.ner.conll import sentences_of

    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "data"
    work.mkdir(exist_ok=True)
    train = list(sentences_of([NER_DATA / "anercorp.train.conll"]))
    dev = list(sentences_of([NER_DATA / "anercorp.dev.conll"]))
    words, vectors = word_vectors([[t.text for t in tokens] for tokens, _ in train], seed=args.seed)
    text_vectors = work / "vectors.txt"
    text_vectors.write_text("".join(f"{w} {' '.join(f'{x:.4f}' for x in v)}\n" for w, v in zip(words, vectors)),
                            encoding="utf-8")
    Pretrain(str(args.out / "pretrain.pt"), str(text_vectors)).load()
    for split, sentences in (("train", train), ("dev", dev)):
        write_bio(sentences, work / f"ar_anercorp.{split}.bio")
        process_dataset(str(work / f"ar_anercorp.{split}.bio"), str(work / f"ar_anercorp.{split}.json"))
    ner_tagger.main(["--data_dir", str(work), "--wordvec_pretrain_file", str(args.out / "pretrain.pt"),
                     "--train_file", str(work / "ar_anercorp.train.json"),
                     "--eval_file", str(work / "ar_anercorp.dev.json"), "--shorthand", "ar_anercorp",
                     "--max_steps", str(args.steps), "--eval_interval", str(max(args.steps // 5, 1)),
                     "--save_dir", str(args.out), "--save_name", "ner.pt", "--seed", str(args.seed)])


if __name__ == "__main__":
    main()
