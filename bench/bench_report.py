"""Time and memory of `extract report` on the output of a large run.

usage: python bench/bench_report.py OUT [--to DIR]   (OUT: an `extract run` folder, e.g. of the
20,000-article archive of make_archive.py). Writes bench/results/report.json and report.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_pipeline import EXTRACT, RESULTS, peak_rss_during


def measure(out: Path, to: Path) -> dict:
    """Seconds, peak RSS and what was written for one `extract report` run."""
    started = time.perf_counter()
    process = subprocess.Popen([str(EXTRACT), "report", str(out), "--to", str(to)], stderr=subprocess.PIPE)
    peak = peak_rss_during(process)
    if process.wait() != 0:
        sys.exit(process.stderr.read().decode())
    seconds = time.perf_counter() - started
    index = (to / "index.html").read_text(encoding="utf-8")
    return {"articles": sum(1 for _ in open(out / "articles.jsonl", "rb")),
            "input_mb": round((out / "articles.jsonl").stat().st_size / 1e6, 1),
            "events": len(json.loads(re.search(r'id="data">(.*?)</script>', index).group(1))["rows"]),
            "entity_views": len(list((to / "articles").iterdir())),
            "index_mb": round(len(index.encode()) / 1e6, 2), "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak / 1e6)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--to", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        result = measure(args.out, args.to or Path(scratch) / "report")
    (RESULTS / "report.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
    (RESULTS / "report.md").write_text("# `extract report` on a large run\n\n| measure | value |\n|---|---:|\n"
                                       f"{rows}\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
