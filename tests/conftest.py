"""Shared fixtures: the pipeline, the shared data folder beside the repo, span invariants."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extract import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXTRACT_SHARED", ROOT.parent / "shared")).resolve()
GOLD = SHARED / "data" / "gold"

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason=f"shared data not found at {SHARED}")


@pytest.fixture(scope="session")
def nlp() -> Pipeline:
    return Pipeline.default()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "data" / "raw" / "000_8ede33af2f05cf80.txt").read_text(encoding="utf-8")


def gold_articles() -> list[tuple[dict, str]]:
    """(gold record, article text) for the seed and dev articles in ../shared."""
    out = []
    for name in ("seed.jsonl", "dev.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                gold = json.loads(line)
                out.append((gold, (GOLD / "articles" / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")))
    return out


def all_spans(doc):
    """Every span a document carries, over all layers (events contribute their evidence)."""
    for layer in ("entities", "dates", "actors", "places", "convoys", "crossings"):
        yield from getattr(doc, layer)
    yield from doc.sentences
    yield from doc.tokens


def assert_spans_exact(doc) -> None:
    """The invariant: every span's text is exactly the original text at its offsets."""
    for span in all_spans(doc):
        assert 0 <= span.start <= span.end <= len(doc.text), span
        assert doc.text[span.start:span.end] == span.text, span
