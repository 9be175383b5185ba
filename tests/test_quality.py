"""Extraction quality must not regress on annotated articles: the project's dev gold and the
two independently annotated probe sets in bench/quality (see bench/bench_quality.py)."""

from __future__ import annotations

import pytest

from bench.bench_quality import DATASETS, evaluate, load
from tests.conftest import needs_shared

# Floors a little under the scores measured when these tests were written (bench/results/quality.md).
FLOORS = {
    "dev": {"dates": 0.95, "actors": 0.95, "places": 0.95, "convoys": 0.95, "crossings": 0.95, "events": 0.95},
    "probe1": {"dates": 0.96, "actors": 0.92, "places": 0.91, "convoys": 0.88, "crossings": 0.95, "events": 0.88},
    "probe2": {"dates": 0.94, "actors": 0.93, "places": 0.91, "convoys": 0.95, "crossings": 0.95, "events": 0.95},
}
VALUE_FLOORS = {"dates": 0.94, "convoys": 0.92}


@pytest.mark.parametrize("name", [pytest.param("dev", marks=needs_shared), "probe1", "probe2"])
def test_quality_floor(nlp, name):
    scores = evaluate(nlp, load(DATASETS[name]))
    for field, floor in FLOORS[name].items():
        assert scores[field]["f1"] >= floor, (field, scores[field])
    for field, floor in VALUE_FLOORS.items():
        assert scores[field]["value_accuracy"] >= floor, (field, scores[field])
