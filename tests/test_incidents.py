"""Incidents: reports of one convoy across outlets grouped once, distractors kept apart, in any order."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extract.cli import app
from extract.incidents import (
    IncidentRules,
    compatible,
    incidents,
    incidents_bag,
    iter_incidents,
    reports_of_record,
)

# (doc_id, published, url, text): one Turkish column reported three ways, and its distractors.
ARTICLES = [
    ("sohr-1", "2021-03-10", "https://www.syriahr.com/archives/1",
     "رصد المرصد السوري لحقوق الإنسان مساء اليوم دخول رتل عسكري تركي يضم نحو 50 آلية عبر معبر باب الهوى "
     "الحدودي، واتجه نحو النقاط التركية في ريف إدلب."),
    ("aa-2", "2021-03-11", "https://www.aa.com.tr/ar/2",
     "أرسل الجيش التركي أمس رتلا مؤلفا من أكثر من 40 آلية عسكرية عبر بوابة جيلفا غوزو الحدودية إلى إدلب."),
    ("hawar-3", "2021-03-11", "https://hawarnews.com/ar/3",
     "أدخل جيش الاحتلال التركي أمس الأربعاء 50 آلية عسكرية عبر معبر باب الهوى."),
    ("sohr-4", "2021-03-10", "https://www.syriahr.com/archives/4",
     "دخل رتل عسكري تركي يضم 15 آلية عبر معبر كفرلوسين. وفي وقت لاحق دخل رتل آخر يضم 20 آلية عبر معبر كفرلوسين."),
    ("enab-5", "2021-03-11", "https://www.enabbaladi.net/5", "دخل رتل عسكري تركي آخر مساء أمس عبر معبر كفرلوسين."),
    ("sohr-6", "2021-03-13", "https://www.syriahr.com/archives/6", "دخل رتل عسكري تركي يضم نحو 50 آلية عبر معبر باب الهوى."),
    ("sana-7", "2021-03-10", "https://sana.sy/7", "أرسلت روسيا رتلا يضم 50 آلية عبر معبر باب الهوى اليوم."),
    ("sohr-8", "2021-03-10", "https://www.syriahr.com/archives/8",
     "دخل رتل عسكري تركي يضم نحو 200 آلية عبر معبر باب الهوى اليوم."),
    ("sohr-9", "2021-03-10", "https://www.syriahr.com/archives/9",
     "خرج رتل عسكري تركي يضم نحو 50 آلية عبر معبر باب الهوى باتجاه الأراضي التركية اليوم."),
]


@pytest.fixture(scope="module")
def records(nlp) -> list[dict]:
    return [json.loads(json.dumps(nlp(text, doc_id=doc_id, published=published, url=url).to_dict(), ensure_ascii=False))
            for doc_id, published, url, text in ARTICLES]


def groups(found: list[dict]) -> set[frozenset[tuple[str, str]]]:
    """Each incident as the set of (doc_id, convoy text) of its reports."""
    return {frozenset((r["doc_id"], r["text"]) for r in incident["reports"]) for incident in found}


def test_one_column_reported_three_ways_is_one_incident(records):
    found = incidents(records)
    column = next(i for i in found if {r["doc_id"] for r in i["reports"]} >= {"sohr-1", "aa-2", "hawar-3"})
    # Bab al-Hawa by its Syrian name and by the Turkish side's (جيلفا غوزو); "نحو 50", "أكثر من 40",
    # "50"; the same evening and "أمس" the next morning.
    assert (column["n_reports"], column["n_outlets"], column["crossing"], column["date"]) == (3, 3, "bab_al_hawa", "2021-03-10")
    assert column["outlets"] == ["aa.com.tr", "hawarnews.com", "syriahr.com"]
    assert (column["size_min"], column["size_max"], column["size"]) == (41, 50, 50)
    assert column["conflicts"] == [{"field": "size", "values": [41, 50]}]
    texts = {r["doc_id"]: r["text"] for r in column["reports"]}
    assert texts == {"sohr-1": "رتل عسكري تركي يضم نحو 50 آلية", "aa-2": "رتلا مؤلفا من أكثر من 40 آلية عسكرية",
                     "hawar-3": "50 آلية عسكرية"}
    by_id = {r["doc_id"]: r for r in records}
    for report in column["reports"]:
        article = by_id[report["doc_id"]]["text"]
        assert article[report["start"]:report["end"]] == report["text"]
        assert article[report["evidence_start"]:report["evidence_end"]] == report["evidence_text"]


def test_distractors_stay_apart(records):
    alone = {next(iter(g))[0] for g in groups(incidents(records)) if len(g) == 1}
    # three days later; 200 vehicles; a Russian column; a column leaving Syria
    assert {"sohr-6", "sohr-8", "sana-7", "sohr-9"} <= alone


def test_another_column_of_the_same_day_is_its_own_incident(records):
    found = groups(incidents(records))
    assert frozenset({("sohr-4", "رتل عسكري تركي يضم 15 آلية")}) in found
    # the next-morning report of "رتل عسكري تركي آخر" joins the article's second column, not its first
    assert frozenset({("sohr-4", "رتل آخر يضم 20 آلية"), ("enab-5", "رتل عسكري")}) in found


def report_of(records, doc_id):
    return reports_of_record(next(r for r in records if r["doc_id"] == doc_id))[0]


@pytest.mark.parametrize("a, b, expected", [
    ("sohr-1", "aa-2", True),      # نحو 50 ~ أكثر من 40, same day via أمس
    ("sohr-1", "hawar-3", True),
    ("sohr-1", "sohr-6", False),   # three days apart
    ("sohr-1", "sohr-8", False),   # 50 vs 200 vehicles
    ("sohr-1", "sana-7", False),   # Turkish vs Russian
    ("sohr-1", "sohr-9", False),   # entering vs leaving
    ("aa-2", "sohr-4", False),     # Bab al-Hawa vs Kafr Lusin
])
def test_compatible(records, a, b, expected):
    assert compatible(report_of(records, a), report_of(records, b)) is expected


def test_tolerances_are_settings(records):
    early, late = report_of(records, "sohr-1"), report_of(records, "sohr-6")
    assert compatible(early, late, IncidentRules(date_tolerance_days=3))
    assert not compatible(report_of(records, "sohr-1"), report_of(records, "sohr-8"), IncidentRules(size_tolerance=0.5))
    assert compatible(report_of(records, "sohr-1"), report_of(records, "sohr-8"), IncidentRules(size_tolerance=1.0))


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_order_independent(records, rnd: random.Random):
    shuffled = [dict(r, events=list(r["events"])) for r in records]
    rnd.shuffle(shuffled)
    assert incidents(shuffled) == incidents(records)


def test_partitioned_and_dask_give_the_same_incidents(records, tmp_path):
    import dask.bag as db

    expected = incidents(records)
    assert sorted(iter_incidents(records, partitions=3, spill_dir=tmp_path), key=lambda i: i["id"]) == sorted(
        expected, key=lambda i: i["id"])
    bag = db.from_sequence(records, npartitions=3)
    assert sorted(incidents_bag(bag).compute(scheduler="synchronous"), key=lambda i: i["id"]) == sorted(
        expected, key=lambda i: i["id"])


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_incidents_cli(records, tmp_path, suffix):
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                        encoding="utf-8")
    target = tmp_path / f"incidents{suffix}"
    result = CliRunner().invoke(app, ["incidents", str(out), "--to", str(target)])
    assert result.exit_code == 0, result.output
    n = len(incidents(records))
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == n and {r["id"] for r in rows} == {i["id"] for i in incidents(records)}
    else:
        frame = pd.read_csv(target) if suffix == ".csv" else pd.read_parquet(target)
        column = frame[frame.n_reports == 3].iloc[0]
        assert len(frame) == n and column.doc_ids == "sohr-1|aa-2|hawar-3" and column.outlets == "aa.com.tr|hawarnews.com|syriahr.com"
        assert [r["text"] for r in json.loads(column.reports)][2] == "50 آلية عسكرية"
    bad = CliRunner().invoke(app, ["incidents", str(out), "--to", str(tmp_path / "x.xlsx")])
    assert bad.exit_code != 0


@pytest.mark.parametrize("text, expected", [
    ("مركز نصيب الحدودي", "nasib_jaber"),              # a context alias without its head word
    ("مركز جديدة يابوس الحدودي", "jdeidet_yabous_masnaa"),
    ("بوابة جوبان بك", "al_rai_crossing"),             # the Turkish side's name
    ("معبر الزمراني الحدودي", "الزمراني"),             # unknown: its bare name, so that reports still meet
    ("المعبر الحدودي", None),                          # no particular crossing
    ("معابر غير شرعية", None),
])
def test_crossing_names_without_an_id(text, expected):
    from extract.incidents import _crossing_id

    assert _crossing_id({"text": text, "canonical": None}) == expected


def test_nationality_and_the_article_crossing(nlp):
    articles = [
        ("jo-1", "2018-10-15", "https://petra.gov.jo/1",
         "عبرت عشرات الشاحنات الأردنية اليوم معبر نصيب باتجاه الأراضي السورية."),
        ("sy-2", "2018-10-15", "https://sana.sy/2", "دخلت 16 شاحنة سورية اليوم معبر نصيب."),
        ("iq-3", "2021-09-29", "https://www.ina.iq/3",
         "وصلت أمس نحو 25 حافلة تقل عائلات عراقية إلى مخيم الجدعة عبر منفذ ربيعة. "
         "ولحقت بها في اليوم ذاته قافلة ثانية من 15 حافلة."),
        ("np-4", "2021-09-28", "https://npasyria.com/4", "غادرت قافلة ثانية من 15 حافلة معبر اليعربية اليوم."),
    ]
    records = [nlp(text, doc_id=i, published=p, url=u).to_dict() for i, p, u, text in articles]
    jordanian, syrian = reports_of_record(records[0])[0], reports_of_record(records[1])[0]
    assert (jordanian.actor_family, syrian.actor_family) == ("JO", "SY") and not compatible(jordanian, syrian)
    second = reports_of_record(records[2])[1]
    assert (second.text, second.crossing, second.region) == ("قافلة ثانية من 15 حافلة", None, "al_hasakah_governorate")
    found = groups(incidents(records))
    assert frozenset({("iq-3", "قافلة ثانية من 15 حافلة"), ("np-4", "قافلة ثانية من 15 حافلة")}) in found
