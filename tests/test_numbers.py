"""Numbers and quantities: the spec tables in tests/spec/ (phrase → value, bounds, span)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from extract.normalize import fold, normalize
from extract.rules.numbers import NUMBER, find_quantities, parse_number

SPEC = Path(__file__).parent / "spec"


def table(name):
    lines = [line for line in (SPEC / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, (line.split("\t") + [""] * len(header))[: len(header)])) for line in lines[1:]]


NUMBERS = table("numbers.tsv")
QUANTITIES = table("quantities.tsv")


@pytest.mark.parametrize("row", NUMBERS, ids=[r["phrase"] for r in NUMBERS])
def test_parse_number(row):
    expected = int(row["value"]) if row["value"] else None
    assert parse_number(fold(row["phrase"])) == expected


@pytest.mark.parametrize("row", [r for r in NUMBERS if r["value"]], ids=[r["phrase"] for r in NUMBERS if r["value"]])
def test_number_pattern_matches_whole_phrase_in_a_sentence(row):
    sentence = fold(f"دخلت {row['phrase']} شاحنة")
    match = regex.search(NUMBER, sentence)
    assert match and match[0] == fold(row["phrase"])


def _bound(cell):
    return int(cell) if cell else None


@pytest.mark.parametrize("row", QUANTITIES, ids=[r["text"] for r in QUANTITIES])
def test_quantities(row):
    sentence = row["sentence"]
    norm = normalize(sentence)
    quantities = find_quantities(norm.text)
    assert len(quantities) == 1, [norm.text[q.start:q.end] for q in quantities]
    (q,) = quantities
    start, end = norm.to_original(q.start, q.end)
    assert sentence[start:end] == row["text"]
    assert (q.low, q.high, q.approximate, q.kind) == (
        _bound(row["low"]), _bound(row["high"]), row["approximate"] == "true", row["kind"])


def test_quantities_do_not_overlap_and_keep_order():
    text = fold("دخلت مئات الشاحنات و30 آلية و نحو 12 صهريجا")
    found = [(text[q.start:q.end], q.low, q.high) for q in find_quantities(text)]
    assert found == [("مئات", 200, 999), ("30", 30, 30), ("نحو 12", 12, 12)]


def test_adversarial_input_finishes():
    text = fold("و" * 5000 + " " + "خمسة و " * 2000 + "1" * 5000)
    assert isinstance(find_quantities(text), list)

