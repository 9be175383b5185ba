"""Build the real-archive convoy/crossing evaluation candidates from SaudiNewsNet.

Every third article of the shared SaudiNewsNet archive (8,340 of 25,020, in the order of
``../shared/tools/archive_sample.sh``) is cut into the pipeline's sentences; a sentence is a
candidate when a broad keyword net finds a convoy, vehicle or crossing word in it (vehicle words
only beside a number or a movement word, else traffic news floods the set), or when the
pipeline named by ``--pred`` emitted a convoy or crossing in it. Articles of 2015-07-21 to
2015-07-27 are the dev split, 2015-07-31 to 2015-08-07 the test split.

A second, training-only set (``--set extra``): the dev-period articles left out of that sample
(the other two thirds of 2015-07-21..27), candidates from the same net and from every convoy and
crossing candidate the pipeline proposes (``--pred`` of a run with ``--min-confidence 0``);
written to ``candidates_extra.jsonl``. The test period is never read for it.

A second test set (``--set test2``, session 9): the test-period articles after every third one
(``k % 3 == 1`` of 2015-07-31..08-07), candidates as for ``extra``; written to
``candidates_test2.jsonl``, labelled by new annotators and scored, never trained or tuned on.

usage: python bench/quality/archive/build_candidates.py [--set extra|test2] --pred OUT/articles.jsonl
       (``--write-input FILE`` first writes the articles as extract-run JSONL)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import zipfile
from pathlib import Path

import regex

SHARED = Path(os.environ.get("EXTRACT_SHARED", Path(__file__).resolve().parents[4] / "shared"))
ARCHIVE = SHARED / "data" / "unlabeled" / "saudinewsnet"
HERE = Path(__file__).parent
TEST_FROM = "2015-07-31"

CONVOY_NOUN = regex.compile(r"قافل|قوافل|رتل|أرتال|ارتال|موكب|تعزيزات")
VEHICLE = regex.compile(r"شاحن|صهريج|صهاريج|آليات|اليات|آلية|مدرع|دباب|حافل|سيارات|مركبات|عربات|دوريات|دورية")
CROSSING = regex.compile(r"معبر|معابر|منفذ|منافذ|الحدودي|جسر الملك|ممرات|بوابة|المنفذ")
NUMBER = regex.compile(r"\d|عشر|مئ|مائ|ألف|آلاف|الاف|اثن|ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع")
MOVEMENT = regex.compile(r"دخ?ل|عبر|وصل|توجه|متجه|انطلق|غادر|سير|أرسل|ارسل|استقدم|انسحب|قادم|نقل|تحرك|استهدف|مرور")


SETS = ("sample", "extra", "test2")


def archive_articles(part: str = "sample", every: slice | None = None):
    """(doc_id, published, text) of the archive articles of ``part`` (``SETS``), as
    archive_sample.sh builds them: every third article (``sample``), the other dev-period ones
    (``extra``), or the test-period articles after every third one (``test2``); with ``every``,
    that slice of all instead."""
    arts = []
    for z in sorted(ARCHIVE.glob("2015-*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                for i, a in enumerate(json.load(io.TextIOWrapper(zf.open(name), encoding="utf-8"))):
                    arts.append((f"{z.stem}-{i:04d}", a))
    if every is not None:
        chosen = arts[every]
    elif part == "test2":
        chosen = [x for k, x in enumerate(arts) if k % 3 == 1 and x[0][:10] >= TEST_FROM]
    elif part == "extra":
        chosen = [x for k, x in enumerate(arts) if k % 3 and x[0][:10] < TEST_FROM]
    else:
        chosen = arts[::3]
    for doc_id, a in chosen:
        text = "\n".join(p for p in ((a.get("title") or "").strip(), (a.get("content") or "").strip()) if p)
        yield doc_id, (a.get("date_extracted") or "")[:10] or None, text


def in_net(sentence: str) -> bool:
    """Does the keyword net catch this sentence?"""
    if CONVOY_NOUN.search(sentence) or CROSSING.search(sentence):
        return True
    return bool(VEHICLE.search(sentence) and (NUMBER.search(sentence) or MOVEMENT.search(sentence)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-input", type=Path)
    ap.add_argument("--pred", type=Path)
    ap.add_argument("--set", choices=SETS, default="sample")
    args = ap.parse_args()
    if args.write_input:
        with args.write_input.open("w", encoding="utf-8") as w:
            for doc_id, published, text in archive_articles(args.set):
                w.write(json.dumps({"id": doc_id, "text": text, "published": published}, ensure_ascii=False) + "\n")
        return
    from extract.normalize import Normalizer
    from extract.pipeline import Pipeline
    from extract.tokenize import Tokenizer

    splitter = Pipeline([Normalizer(), Tokenizer()])
    emitted: dict[str, set[tuple[int, int]]] = {}
    for line in args.pred.open(encoding="utf-8"):
        rec = json.loads(line)
        for m in (rec.get("convoys") or []) + (rec.get("crossings") or []):
            emitted.setdefault(rec["doc_id"], set()).add((m["start"], m["end"]))
    n = 0
    name = "candidates.jsonl" if args.set == "sample" else f"candidates_{args.set}.jsonl"
    with (HERE / name).open("w", encoding="utf-8") as w:
        for doc_id, published, text in archive_articles(args.set):
            doc = splitter(text)
            spans = emitted.get(doc_id, set())
            for s in doc.sentences:
                hit = any(s.start <= a < s.end for a, _ in spans)
                if not (hit or in_net(s.text)):
                    continue
                n += 1
                w.write(json.dumps({
                    "id": f"{doc_id}#{s.index}", "doc_id": doc_id, "published": published,
                    "split": "test2" if args.set == "test2" else "test" if (published or "") >= TEST_FROM else "dev",
                    "start": s.start, "end": s.end, "title": text.split("\n", 1)[0][:200],
                    "sentence": s.text,
                }, ensure_ascii=False) + "\n")
    print(n, "candidate sentences")


if __name__ == "__main__":
    main()
