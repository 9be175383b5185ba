"""NER benchmark: speed of each backend on the same articles, and entity F1 on the
ANERcorp dev split. Writes bench/results/ner.md and bench/results/ner.json.

    .venv/bin/python bench/bench_ner.py [--neural DIR] [--stanza DIR] [--camel DIR] [--articles N]

The articles are the plain-text articles of the pipeline benchmark's synthetic archive
(bench/make_archive.py, seed 13: real sentences, up to 5 KB of UTF-8 each), normalized and
tokenized once; only the NER stage is timed, on one core, best of three passes (CAMeL: one
pass over the first 10 articles). Without ``--camel``, CAMeL is timed on a randomly
initialised BERT-base-sized token classifier (the architecture of CAMeL's ner-arabert):
its speed is representative, its F1 is not measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = Path(os.environ.get("EXTRACT_SHARED", ROOT.parent / "shared")).resolve()
DEV = SHARED / "data" / "ner" / "anercorp.dev.conll"
RESULTS = ROOT / "bench" / "results"
CAMEL_ARTICLES = 10  # BERT-base on CPU takes seconds per article: timed on the first few only


def prepared_articles(articles: int):
    """Normalized and tokenized documents (NER input): the plain-text articles of a
    synthetic archive of ``articles`` items."""
    from make_archive import build

    from extract.normalize import Normalizer
    from extract.pipeline import Pipeline
    from extract.tokenize import Tokenizer

    with tempfile.TemporaryDirectory() as scratch:
        build(articles, Path(scratch) / "archive", seed=13)
        texts = [p.read_text(encoding="utf-8") for p in sorted((Path(scratch) / "archive" / "txt").glob("*.txt"))]
    base = Pipeline([Normalizer(), Tokenizer()])
    return [base(text) for text in texts]


def random_bert_base(directory: Path) -> Path:
    """A BERT-base-sized token classifier with CAMeL's labels and random weights."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    from extract.ner.conll import read_conll

    labels = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
    words = sorted({w for s in read_conll(DEV) for w, _ in s})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), id2label=dict(enumerate(labels)),
                        label2id={label: i for i, label in enumerate(labels)})
    BertForTokenClassification(config).save_pretrained(directory)
    BertTokenizer(str(directory / "vocab.txt")).save_pretrained(directory)
    return directory


def measure(backend: str, model: str | None, docs, with_f1: bool, passes: int = 3) -> dict:
    """Load time, NER-stage speed on ``docs`` (the best of ``passes``) and (optionally)
    dev F1 of one backend."""
    from extract.ner import NER
    from extract.ner.evaluate import evaluate

    started = time.perf_counter()
    stage = NER(backend, model)
    load_seconds = time.perf_counter() - started
    for doc in docs:  # warm-up: the per-word caches fill as in a long run
        stage(doc)
    timings = []
    for _ in range(passes):
        for doc in docs:
            doc.entities = []
        started = time.perf_counter()
        for doc in docs:
            stage(doc)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)
    tokens = sum(len(d.tokens) for d in docs)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    result = {
        "backend": backend, "model": stage.tagger.name, "signature": stage.signature,
        "load_seconds": round(load_seconds, 2), "articles": len(docs), "tokens": tokens,
        "tokens_per_second": round(tokens / seconds), "articles_per_second": round(len(docs) / seconds, 1),
        "ms_per_article": round(1000 * seconds / len(docs), 2), "ms_per_5kb": round(1000 * seconds / (size / 5000), 2),
        "entities": sum(len(d.entities) for d in docs),
    }
    if with_f1:
        result["dev"] = evaluate(stage, DEV).to_dict()
    return result


def markdown(results: list[dict], note: str) -> str:
    """The results as a Markdown report."""
    lines = ["# NER benchmark", "", note, "",
             "| backend | model | load s | tokens/s | articles/s | ms per article | ms per 5 KB "
             "| dev P | dev R | dev F1 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        dev = r.get("dev", {}).get("overall")
        scores = (f"{dev['precision']:.3f} | {dev['recall']:.3f} | {dev['f1']:.3f}" if dev else "– | – | –")
        lines.append(f"| {r['backend']} | {r['model']} | {r['load_seconds']} | {r['tokens_per_second']:,} | "
                     f"{r['articles_per_second']} | {r['ms_per_article']} | {r['ms_per_5kb']} | {scores} |")
    for r in results:
        if "dev" in r:
            lines += ["", f"## {r['backend']} on {DEV.name}, per type", "",
                      "| type | P | R | F1 |", "|---|---:|---:|---:|"]
            lines += [f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |"
                      for k, v in r["dev"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neural", help="Neural NER model directory (extract ner train --arch neural).")
    parser.add_argument("--stanza", help="Local Stanza NER model directory.")
    parser.add_argument("--camel", help="Local CAMeL NER model directory.")
    parser.add_argument("--articles", type=int, default=400,
                        help="Items of the synthetic archive (about a quarter are plain-text articles).")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    docs = prepared_articles(args.articles)
    results = [measure("crf", None, docs, with_f1=True)]
    if args.neural:
        results.append(measure("neural", args.neural, docs, with_f1=True))
    if args.stanza:
        results.append(measure("stanza", args.stanza, docs, with_f1=True))
    with tempfile.TemporaryDirectory() as scratch:
        camel = args.camel or str(random_bert_base(Path(scratch)))
        results.append(measure("camel", camel, docs[:CAMEL_ARTICLES], with_f1=bool(args.camel), passes=1))
    if not args.camel:
        results[-1]["model"] = "random BERT-base (speed only)"
    kb = sum(len(d.text.encode("utf-8")) for d in docs) / len(docs) / 1000
    tokens = sum(len(d.tokens) for d in docs) / len(docs)
    note = (f"{len(docs)} plain-text articles of the synthetic benchmark archive ({kb:.1f} KB of UTF-8 and "
            f"{tokens:.0f} tokens each on average), NER stage only, one thread, best of 3 passes, "
            f"{platform.processor() or platform.machine()}, Python {platform.python_version()}. "
            f"F1: entity-level exact span on the ANERcorp dev split.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ner.json").write_text(json.dumps({"note": note, "results": results}, ensure_ascii=False, indent=2)
                                      + "\n", encoding="utf-8")
    (RESULTS / "ner.md").write_text(markdown(results, note), encoding="utf-8")
    print(markdown(results, note))


if __name__ == "__main__":
    main()
