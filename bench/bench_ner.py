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
AQMAR_DEV = SHARED / "data" / "ner" / "aqmar" / "dev.txt"
RESULTS = ROOT / "bench" / "results"
CAMEL_ARTICLES = 10  # BERT-base on CPU takes seconds per article: timed on the first few only
# The project's own articles (gold and probe sets): they name almost no person, so a PER
# entity there is most likely spurious; the ones that are right are listed.
OWN_ARTICLES = [*sorted((SHARED / "data" / "gold" / "articles").glob("*.txt")),
                *sorted((ROOT / "bench" / "quality").glob("probe*/articles/*.txt"))]
OWN_PERSONS: set[str] = set()
# Persons in conflict news, written here in the style of the probe sets (officials,
# commanders, foreign names in Arabic script), with the exact name each sentence holds.
PERSON_PROBES = [
    ("قال وزير الخارجية الروسي سيرغي لافروف إن القوات الروسية ستبقى في سوريا.", ["سيرغي لافروف"]),
    ("أعلن القائد العام لقوات سوريا الديمقراطية مظلوم عبدي وصول تعزيزات إلى دير الزور.", ["مظلوم عبدي"]),
    ("التقى المبعوث الأممي غير بيدرسون بالرئيس السوري بشار الأسد في دمشق.", ["غير بيدرسون", "بشار الأسد"]),
    ("قال المتحدث باسم التحالف الدولي واين ماروتو إن الرتل دخل من معبر الوليد.", ["واين ماروتو"]),
    ("أكد الرئيس التركي رجب طيب أردوغان أن العملية العسكرية ستستمر.", ["رجب طيب أردوغان"]),
    ("زار وزير الدفاع الأمريكي لويد أوستن القوات الأمريكية في العراق.", ["لويد أوستن"]),
    ("قال مدير المرصد السوري لحقوق الإنسان رامي عبد الرحمن إن 40 شاحنة عبرت الحدود.", ["رامي عبد الرحمن"]),
    ("ظهر زعيم هيئة تحرير الشام أبو محمد الجولاني في مدينة إدلب.", ["أبو محمد الجولاني"]),
    ("اجتمع الرئيس الروسي فلاديمير بوتين مع نظيره الإيراني إبراهيم رئيسي في طهران.",
     ["فلاديمير بوتين", "إبراهيم رئيسي"]),
    ("نقلت وكالة سانا عن محافظ الحسكة غسان خليل أن القافلة وصلت إلى المدينة.", ["غسان خليل"]),
    ("قال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن المساعدات يجب أن تصل دون عوائق.", ["أنطونيو غوتيريش"]),
    ("صرح المتحدث باسم الخارجية الأمريكية نيد برايس بأن واشنطن تدعم تمديد آلية المساعدات.", ["نيد برايس"]),
    ("قاد العميد سهيل الحسن الهجوم على ريف حماة الشمالي.", ["سهيل الحسن"]),
    ("قال الناطق باسم الجيش الوطني السوري الرائد يوسف حمود إن الاشتباكات توقفت.", ["يوسف حمود"]),
    ("استقبل رئيس إقليم كردستان العراق نيجيرفان بارزاني وفدا من التحالف.", ["نيجيرفان بارزاني"]),
    ("أعلن وزير الخارجية التركي مولود جاويش أوغلو فتح المعبر أمام الشاحنات.", ["مولود جاويش أوغلو"]),
    ("قال منسق الشؤون الإنسانية مارتن غريفيث إن 100 شاحنة تنتظر على الحدود.", ["مارتن غريفيث"]),
    ("التقى وزير الخارجية السوري فيصل المقداد بنظيره الإيراني حسين أمير عبد اللهيان.",
     ["فيصل المقداد", "حسين أمير عبد اللهيان"]),
]


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
        result["aqmar_dev"] = evaluate(stage, AQMAR_DEV).to_dict()
    return result


def person_check(stage) -> dict:
    """PER entities of the stage on :data:`PERSON_PROBES` (found, missed, spurious names)
    and on the project's own articles (:data:`OWN_ARTICLES`, spurious unless listed)."""
    from extract.normalize import Normalizer
    from extract.pipeline import Pipeline
    from extract.tokenize import Tokenizer

    nlp = Pipeline([Normalizer(), Tokenizer(), stage])
    found, missed, spurious = [], [], []
    for sentence, names in PERSON_PROBES:
        tagged = {e.text for e in nlp(sentence).entities if e.label == "PER"}
        found += [n for n in names if n in tagged]
        missed += [n for n in names if n not in tagged]
        spurious += sorted(tagged - set(names))
    own = [e.text for path in OWN_ARTICLES for e in nlp(path.read_text(encoding="utf-8")).entities
           if e.label == "PER"]
    return {"probe_names": sum(len(n) for _, n in PERSON_PROBES), "found": found, "missed": missed,
            "spurious": spurious, "own_articles": len(OWN_ARTICLES),
            "own_per": own, "own_spurious": [e for e in own if e not in OWN_PERSONS]}


def markdown(results: list[dict], note: str) -> str:
    """The results as a Markdown report."""
    from extract.ner.evaluate import NAMES_ROW

    lines = ["# NER benchmark", "", note, "",
             "| backend | model | load s | tokens/s | articles/s | ms per article | ms per 5 KB "
             "| dev P | dev R | dev F1 | AQMAR dev F1 (PER+LOC+ORG) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        dev = r.get("dev", {}).get("overall")
        aqmar = r.get("aqmar_dev", {}).get(NAMES_ROW)
        scores = (f"{dev['precision']:.3f} | {dev['recall']:.3f} | {dev['f1']:.3f}" if dev else "– | – | –")
        scores += f" | {aqmar['f1']:.3f}" if aqmar else " | –"
        lines.append(f"| {r['backend']} | {r['model']} | {r['load_seconds']} | {r['tokens_per_second']:,} | "
                     f"{r['articles_per_second']} | {r['ms_per_article']} | {r['ms_per_5kb']} | {scores} |")
    for r in results:
        for key, name in (("dev", DEV.name), ("aqmar_dev", f"AQMAR {AQMAR_DEV.name}")):
            if key in r:
                lines += ["", f"## {r['backend']} on {name}, per type", "",
                          "| type | P | R | F1 |", "|---|---:|---:|---:|"]
                lines += [f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |"
                          for k, v in r[key].items()]
    for r in results:
        if "persons" in r:
            p = r["persons"]
            lines += ["", f"## {r['backend']}: persons in conflict news", "",
                      f"{len(p['found'])} of the {p['probe_names']} names of the person probes (`PERSON_PROBES`) "
                      f"tagged PER with their exact span; {len(p['spurious'])} other PER spans there. On the "
                      f"project's {p['own_articles']} gold and probe articles (almost no persons named): "
                      f"{len(p['own_per'])} PER entities, {len(p['own_spurious'])} of them spurious.", "",
                      f"- missed: {' · '.join(p['missed']) or '–'}",
                      f"- spurious in the probes: {' · '.join(p['spurious']) or '–'}",
                      f"- PER on the project's articles: {' · '.join(p['own_per']) or '–'}"]
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

    from extract.ner import NER

    torch.set_num_threads(1)
    docs = prepared_articles(args.articles)
    results = [measure("crf", None, docs, with_f1=True)]
    results[0]["persons"] = person_check(NER("crf"))
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
