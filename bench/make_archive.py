"""Build a reproducible synthetic news archive for the pipeline benchmark.

Articles (at most 5 KB of UTF-8 each) are assembled from real sentences: the gold convoy reports and the
third-party Wojood and ANERcorp sentences in ../shared/data. The archive mixes every input
kind the tool reads and plants bad items, 1 % of articles for each kind:

* messy but readable (must be processed): cp1256, UTF-16, UTF-8 with BOM, UTF-8 mojibake
  (read upstream as cp1256), HTML pages;
* bad (must each give exactly one error record): empty files, undecodable bytes, huge
  files (over --max-chars), malformed JSONL rows, JSONL rows without text, CSV rows
  without text.

usage: python bench/make_archive.py [--articles 20000] [--out bench/archive] [--seed 13]
Writes OUT/… and OUT/.manifest.json (counts of each planted kind).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
ARTICLE_BYTES = 5000  # UTF-8 bytes: a "5 KB" article is about 2,800 Arabic characters
HUGE_CHARS = 1_200_000  # over the default --max-chars of 1,000,000
ROWS_PER_JSONL = 1000
ROWS_PER_CSV = 500


def real_sentences() -> list[str]:
    """Sentences written by others: gold articles, Wojood date sentences, ANERcorp sentences."""
    sentences: list[str] = []
    for path in sorted((SHARED / "gold" / "articles").glob("*.txt")):
        sentences += [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    for path in sorted((SHARED / "dates").glob("*.jsonl")):
        sentences += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    words: list[str] = []
    for line in (SHARED / "ner" / "anercorp.train.conll").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.split("\t")[0])
        elif words:
            sentences.append(" ".join(words))
            words = []
    return [s for s in sentences if len(s) > 30]


def article(rng: random.Random, sentences: list[str], convoy_reports: list[str]) -> str:
    """At most 5 KB of UTF-8: a headline, then paragraphs mixing convoy reports with other news."""
    parts = [rng.choice(convoy_reports)[:80]]
    size = len(parts[0].encode())
    while True:
        sentence = rng.choice(convoy_reports if rng.random() < 0.3 else sentences)
        if size + len(sentence.encode()) + 1 > ARTICLE_BYTES:
            return "\n".join(parts)
        parts.append(sentence)
        size += len(sentence.encode()) + 1


def published(rng: random.Random) -> str:
    return f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def build(n_articles: int, out: Path, seed: int) -> dict:
    rng = random.Random(seed)
    sentences = real_sentences()
    convoy_reports = [s for s in sentences if any(w in s for w in ("قافلة", "شاحنة", "رتل", "معبر"))]
    if out.exists():
        shutil.rmtree(out)
    for folder in ("txt", "jsonl", "csv", "html", "messy", "bad"):
        (out / folder).mkdir(parents=True)
    one_percent = max(1, n_articles // 100)
    manifest = {"articles": 0, "messy": {}, "bad": {}, "seed": seed}

    def text() -> str:
        manifest["articles"] += 1
        return article(rng, sentences, convoy_reports)

    messy = {
        "cp1256": lambda t: t.encode("cp1256", errors="replace"),
        "utf16": lambda t: t.encode("utf-16"),
        "bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        "mojibake": lambda t: t.encode("utf-8").decode("cp1256", errors="replace").encode("utf-8"),
    }
    for kind, encode in messy.items():
        for i in range(one_percent):
            (out / "messy" / f"{kind}-{i:05d}.txt").write_bytes(encode(text()))
        manifest["messy"][kind] = one_percent
    for i in range(one_percent):
        body = "".join(f"<p>{p}</p>" for p in text().split("\n")[1:])
        page = (f"<html><head><title>خبر {i}</title><meta property='article:published_time' content='{published(rng)}'>"
                f"</head><body><nav>الرئيسية | أخبار | اتصل بنا</nav><article><h1>خبر {i}</h1>{body}</article>"
                "<footer>جميع الحقوق محفوظة</footer></body></html>")
        (out / "html" / f"page-{i:05d}.html").write_text(page, encoding="utf-8")
    manifest["messy"]["html"] = one_percent

    bad = {"empty": 0, "undecodable": 0, "huge": 0, "jsonl_malformed": 0, "jsonl_no_text": 0, "csv_no_text": 0}
    for i in range(one_percent):
        (out / "bad" / f"empty-{i:05d}.txt").write_bytes(b"")
        (out / "bad" / f"undecodable-{i:05d}.txt").write_bytes(codecs.BOM_UTF8 + bytes(range(128, 256)) * 20)
        bad["empty"] += 1
        bad["undecodable"] += 1
    for i in range(max(1, one_percent // 10)):
        (out / "bad" / f"huge-{i:05d}.txt").write_text("قافلة " * (HUGE_CHARS // 6 + 1), encoding="utf-8")
        bad["huge"] += 1

    remaining = n_articles - manifest["articles"]
    n_csv = remaining // 10
    n_txt = remaining // 4
    n_jsonl = remaining - n_csv - n_txt
    for i in range(n_txt):
        (out / "txt" / f"{i:06d}.txt").write_text(text(), encoding="utf-8")
    for shard in range(0, n_jsonl, ROWS_PER_JSONL):
        lines = []
        for j in range(shard, min(shard + ROWS_PER_JSONL, n_jsonl)):
            lines.append(json.dumps({"id": f"j{j:06d}", "text": text(), "published": published(rng)}, ensure_ascii=False))
            if j % 100 == 50:
                lines.append('{"id": "broken-%d", "text": "نص بلا نهاية' % j)
                bad["jsonl_malformed"] += 1
            if j % 100 == 75:
                lines.append(json.dumps({"id": f"notext-{j}", "title": "بلا نص"}))
                bad["jsonl_no_text"] += 1
        (out / "jsonl" / f"shard-{shard // ROWS_PER_JSONL:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for shard in range(0, n_csv, ROWS_PER_CSV):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "text", "published"])
        for j in range(shard, min(shard + ROWS_PER_CSV, n_csv)):
            writer.writerow([f"c{j:06d}", text(), published(rng)])
            if j % 100 == 25:
                writer.writerow([f"c-notext-{j}", "", published(rng)])
                bad["csv_no_text"] += 1
        (out / "csv" / f"table-{shard // ROWS_PER_CSV:03d}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    manifest["bad"] = bad
    manifest["bad_total"] = sum(bad.values())
    (out / ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "archive")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    print(json.dumps(build(args.articles, args.out, args.seed), indent=2))


if __name__ == "__main__":
    main()
