"""Benchmark the date matcher against dateparser's ``search_dates(text, languages=['ar'])``.

Measures, side by side:
  (a) date detection on third-party text: span P/R/F1 on a Wojood split (a prediction counts
      when it overlaps a gold span by at least half of the gold span; a gold span is found when
      such a prediction exists);
  (b) the gold articles (seed + dev): detection P/R/F1 (same criterion, gold spans located by
      their text) and value accuracy (share of gold dates found with the gold ``value``, and
      ``range_end`` when the gold has one), each article's ``published`` as reference date;
  (c) throughput in articles/s over the gold articles repeated.

dateparser returns a datetime, not a granularity: its value is cut to the length of the gold
value (``2019-03-17`` → ``2019-03``), which favours it.

usage (from the project root):
  .venv/bin/python bench/bench_dates.py                     # test split, print
  .venv/bin/python bench/bench_dates.py --write             # … and write bench/results/dates.{md,json}
  .venv/bin/python bench/bench_dates.py --split train --errors   # development: list the misses
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import Pipeline  # noqa: E402
from extract.normalize import Normalizer  # noqa: E402
from extract.rules.dates import DateMatcher  # noqa: E402
from extract.tokenize import Tokenizer  # noqa: E402

SHARED = Path(os.environ.get("EXTRACT_SHARED", ROOT.parent / "shared")).resolve()
RESULTS = ROOT / "bench" / "results" / "dates"


def overlaps_half(pred: tuple[int, int], gold: tuple[int, int], share: float = 0.5) -> bool:
    """Whether ``pred`` covers at least ``share`` of ``gold`` (``share=0``: any overlap)."""
    shared = min(pred[1], gold[1]) - max(pred[0], gold[0])
    return shared > 0 and shared >= share * (gold[1] - gold[0])


def detection(preds: list[list[tuple[int, int]]], golds: list[list[tuple[int, int]]], share: float = 0.5) -> dict:
    """Span precision, recall and F1 over documents."""
    tp_pred = sum(any(overlaps_half(p, g, share) for g in gs) for ps, gs in zip(preds, golds) for p in ps)
    tp_gold = sum(any(overlaps_half(p, g, share) for p in ps) for ps, gs in zip(preds, golds) for g in gs)
    n_pred, n_gold = sum(map(len, preds)), sum(map(len, golds))
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "gold": n_gold, "predicted": n_pred}


def matcher_dates(nlp: Pipeline, text: str, published: str | None) -> list[dict]:
    """Our dates: span, value, range_end."""
    doc = nlp(text, published=published)
    return [{"span": (d.start, d.end), "value": d.value, "range_end": d.range_end} for d in doc.dates]


def dateparser_dates(text: str, published: str | None) -> list[dict]:
    """dateparser's dates, located in ``text`` left to right."""
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(published)} if published else {}
    found = search_dates(text, languages=["ar"], settings=settings) or []
    out, pos = [], 0
    for surface, when in found:
        start = text.find(surface, pos)
        if start < 0:
            start = text.find(surface)
        if start < 0:
            continue
        pos = start + len(surface)
        out.append({"span": (start, start + len(surface)), "value": when.date().isoformat(), "range_end": None})
    return out


def load_wojood(split: str) -> list[tuple[str, list[tuple[int, int]]]]:
    path = SHARED / "data" / "dates" / f"wojood-sample.{split}.dates.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], [(d["start"], d["end"]) for d in r["dates"]]) for r in rows]


def load_gold() -> list[dict]:
    """Gold articles with each gold date's span located by its text."""
    gold_dir = SHARED / "data" / "gold"
    out = []
    for name in ("seed.jsonl", "dev.jsonl"):
        for line in (gold_dir / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                text = (gold_dir / "articles" / f"{record['doc_id']}.txt").read_text(encoding="utf-8")
                dates = []
                for d in record["dates"]:
                    start = text.find(d["text"])
                    dates.append({**d, "span": (start, start + len(d["text"]))})
                out.append({"doc_id": record["doc_id"], "text": text, "published": record["published"], "dates": dates})
    return out


def value_accuracy(articles: list[dict], predicted: list[list[dict]], cut: bool) -> float:
    """Share of gold dates found with the right value (and range_end when the gold has one)."""
    right = total = 0
    for article, preds in zip(articles, predicted):
        for g in article["dates"]:
            total += 1
            match = next((p for p in preds if overlaps_half(p["span"], g["span"])), None)
            if match is None:
                continue
            value = match["value"]
            if cut and value is not None and g["value"] is not None:
                value = value[:len(g["value"])]
            right += value == g["value"] and (g.get("range_end") is None or match["range_end"] == g["range_end"])
    return round(right / total, 4) if total else 0.0


def throughput(run, articles: list[dict], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for a in articles:
            run(a["text"], a["published"])
    return round(repeat * len(articles) / (time.perf_counter() - started), 1)


def evaluate(split: str, repeat: int, with_dateparser: bool, errors: bool) -> dict:
    nlp = Pipeline([Normalizer(), Tokenizer(), DateMatcher()])
    systems = {"extract": lambda t, p: matcher_dates(nlp, t, p)}
    if with_dateparser:
        systems["dateparser"] = dateparser_dates
    wojood = load_wojood(split)
    articles = load_gold()
    results: dict = {"split": split, "wojood_sentences": len(wojood), "gold_articles": len(articles), "systems": {}}
    for name, run in systems.items():
        w_preds = [[d["span"] for d in run(text, None)] for text, _ in wojood]
        g_preds = [run(a["text"], a["published"]) for a in articles]
        results["systems"][name] = {
            "wojood": detection(w_preds, [g for _, g in wojood]),
            "wojood_any_overlap": detection(w_preds, [g for _, g in wojood], share=0.0),
            "gold_detection": detection([[d["span"] for d in ps] for ps in g_preds],
                                        [[d["span"] for d in a["dates"]] for a in articles]),
            "gold_value_accuracy": value_accuracy(articles, g_preds, cut=name == "dateparser"),
            "articles_per_s": throughput(run, articles, repeat if name == "extract" else max(1, repeat // 20)),
        }
        if errors and name == "extract":
            print_errors(wojood, w_preds)
    return results


def print_errors(wojood, preds) -> None:
    for (text, golds), ps in zip(wojood, preds):
        for g in golds:
            if not any(overlaps_half(p, g) for p in ps):
                print(f"MISS  {text[g[0]:g[1]]!r:40} | {text[max(0, g[0] - 50):g[1] + 30]}")
        for p in ps:
            if not any(overlaps_half(p, g) for g in golds):
                print(f"FALSE {text[p[0]:p[1]]!r:40} | {text[max(0, p[0] - 50):p[1] + 30]}")


def markdown(results: dict) -> str:
    rows = ["| system | Wojood P | Wojood R | Wojood F1 | Wojood F1, any overlap | gold P | gold R | gold F1 "
            "| gold value acc. | articles/s |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in results["systems"].items():
        w, g = r["wojood"], r["gold_detection"]
        rows.append(f"| {name} | {w['precision']:.3f} | {w['recall']:.3f} | {w['f1']:.3f} "
                    f"| {r['wojood_any_overlap']['f1']:.3f} | {g['precision']:.3f} "
                    f"| {g['recall']:.3f} | {g['f1']:.3f} | {r['gold_value_accuracy']:.3f} | {r['articles_per_s']:.1f} |")
    return "\n".join([
        "# Date matcher benchmark", "",
        f"Wojood sample, `{results['split']}` split ({results['wojood_sentences']} sentences, "
        f"{next(iter(results['systems'].values()))['wojood']['gold']} gold dates); gold articles: "
        f"{results['gold_articles']} (seed + dev). Produced by `bench/bench_dates.py`; "
        f"{results['machine']}, {results['date']}.", "",
        *rows, "",
        "Detection: a prediction counts when it overlaps a gold span by at least half of the gold span",
        "(\"any overlap\": by at least one character, the looser criterion under which dateparser scores 0.949).",
        "Value accuracy: gold dates found with the exact gold `value` (and `range_end`); dateparser's",
        "datetime is cut to the gold value's length (favours it). Throughput: normalize + tokenize + dates",
        "(extract) vs `search_dates` (dateparser), over the gold articles repeated, one process.", "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "val", "test"])
    parser.add_argument("--repeat", type=int, default=200, help="passes over the gold articles for throughput")
    parser.add_argument("--no-dateparser", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the matcher's misses and false dates")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}.md/.json")
    args = parser.parse_args()
    results = evaluate(args.split, args.repeat, not args.no_dateparser, args.errors)
    results["machine"] = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results["date"] = dt.date.today().isoformat()
    print(markdown(results))
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        RESULTS.with_suffix(".md").write_text(markdown(results), encoding="utf-8")


if __name__ == "__main__":
    main()
