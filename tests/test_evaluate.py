"""`extract eval` against hand-computed scores on a small fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.evaluate import match_key, read_jsonl, same_mention, score_records

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("a, b", [
    ('لـ"التحالف الدولي"', "التحالف الدولى"),
    ("والحسكة", "الحسكة"),
    ("للمرصد السوري", "المرصد السوري"),
    ("بريف دير الزور", "ريف دير الزور"),
])
def test_match_key_strips_clitics_and_quotes(a, b):
    assert match_key(a) == match_key(b)


def test_offsets_decide_when_both_sides_have_them():
    assert same_mention({"text": "x", "start": 5, "end": 9}, {"text": "y", "start": 8, "end": 12})
    assert not same_mention({"text": "قسد", "start": 0, "end": 3}, {"text": "قسد", "start": 10, "end": 13})


def test_hand_computed_scores():
    scores = score_records(read_jsonl(FIXTURES / "eval_gold.jsonl"), read_jsonl(FIXTURES / "eval_pred.jsonl"))
    summary = {name: s.summary() for name, s in scores.items()}
    # dates: d1 1 of 2 found + 1 spurious; d2 range found with a wrong range_end
    assert (scores["dates"].tp_gold, scores["dates"].fp, scores["dates"].fn) == (2, 1, 1)
    assert summary["dates"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["dates"].value_accuracy == pytest.approx(1 / 3)
    # actors: لقسد ~ قسد, التحالف ⊂ التحالف الدولي, المرصد spurious
    assert (scores["actors"].tp_gold, scores["actors"].fp, scores["actors"].fn) == (2, 1, 0)
    assert summary["actors"]["f1"] == pytest.approx(0.8)
    assert scores["actors"].value_accuracy == 1.0
    # places: والحسكة ~ الحسكة, الرقة spurious
    assert (scores["places"].tp_gold, scores["places"].fp, scores["places"].fn) == (1, 1, 0)
    # convoys: one right, one spurious, size right
    assert (scores["convoys"].tp_gold, scores["convoys"].fp, scores["convoys"].fn) == (1, 1, 0)
    assert scores["convoys"].value_accuracy == 1.0
    # crossings: found, wrong canonical id
    assert scores["crossings"].tp_gold == 1 and scores["crossings"].value_accuracy == 0.0
    # events: the gold convoy with slots ↔ predicted event 0; crossing right, date wrong
    assert (scores["events"].tp_gold, scores["events"].fp, scores["events"].fn) == (1, 1, 0)
    assert summary["events"]["slot_accuracy"] == {"crossing": 1.0, "date": 0.0}


def test_cli_table_and_json():
    runner = CliRunner()
    args = ["eval", "--gold", str(FIXTURES / "eval_gold.jsonl"), "--pred", str(FIXTURES / "eval_pred.jsonl")]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split()[:4] == ["field", "P", "R", "F1"]
    assert "actors      0.667  1.000  0.800" in table.output
    as_json = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert as_json["convoys"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "tp": 1, "fp": 1, "fn": 0,
                                  "value_accuracy": 1.0, "values": 1}


def test_missing_files_are_reported():
    result = CliRunner().invoke(app, ["eval", "--gold", "/nope.jsonl", "--pred", "/nope2.jsonl"])
    assert result.exit_code != 0
    assert "is not a file" in result.output


def test_gold_with_offsets_is_matched_occurrence_by_occurrence():
    gold = [{"doc_id": "x", "actors": [{"text": "قسد", "start": 0, "end": 3, "canonical": "sdf"},
                                       {"text": "قسد", "start": 20, "end": 23, "canonical": "sdf"}]}]
    pred = [{"doc_id": "x", "actors": [{"text": "قسد", "start": 0, "end": 3, "canonical": "sdf"},
                                       {"text": "قسد", "start": 40, "end": 43, "canonical": "sdf"}]}]
    actors = score_records(gold, pred)["actors"]
    assert (actors.tp_gold, actors.tp_pred, actors.fp, actors.fn) == (1, 1, 1, 1)


def test_surface_gold_counts_distinct_predicted_texts():
    gold = [{"doc_id": "x", "actors": [{"text": "التحالف الدولي", "canonical": "coalition"}]}]
    pred = [{"doc_id": "x", "actors": [{"text": "التحالف الدولي", "start": 0, "end": 14}] * 5
             + [{"text": "للتحالف الدولي", "start": 30, "end": 44}]}]
    actors = score_records(gold, pred)["actors"]
    assert (actors.precision, actors.recall) == (1.0, 1.0) and actors.fp == 0


def test_pipeline_output_is_valid_gold(nlp):
    text = ("ورصد المرصد السوري لحقوق الإنسان في 24 مارس 2020 دخول قافلة تضم أكثر من 100 شاحنة "
            "لـ\"التحالف الدولي\" عبر معبر الوليد إلى محافظة الحسكة.")
    record = json.loads(json.dumps(nlp(text, doc_id="r1", published="2020-04-24").to_dict()))
    scores = score_records([record], [record])
    for name in ("dates", "actors", "places", "convoys", "crossings", "events"):
        assert record[name], name
        assert (scores[name].precision, scores[name].recall) == (1.0, 1.0), name
    assert scores["dates"].value_accuracy == scores["convoys"].value_accuracy == 1.0


def test_id_agreement_ignores_the_id_names():
    gold = [{"doc_id": "x", "actors": [{"text": "قسد", "canonical": "SDF"},
                                       {"text": "قوات سوريا الديمقراطية", "canonical": "SDF"},
                                       {"text": "داعش", "canonical": "IS"}]}]
    same = [{"doc_id": "x", "actors": [{"text": "قسد", "canonical": "sdf"},
                                       {"text": "قوات سوريا الديمقراطية", "canonical": "sdf"},
                                       {"text": "داعش", "canonical": "isis"}]}]
    split = [{"doc_id": "x", "actors": [{"text": "قسد", "canonical": "a"},
                                        {"text": "قوات سوريا الديمقراطية", "canonical": "b"},
                                        {"text": "داعش", "canonical": "b"}]}]
    assert score_records(gold, same)["actors"].summary()["id_agreement"] == 1.0
    # pairs: (قسد, قوات) same in gold, different predicted; (قسد, داعش) right; (قوات, داعش) wrong
    assert score_records(gold, split)["actors"].summary()["id_agreement"] == pytest.approx(1 / 3, abs=1e-4)
