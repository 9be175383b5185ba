"""Convoy events: the spec table (tests/spec/events.tsv) and the seed article's events."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract import Pipeline
from tests.conftest import assert_spans_exact

SPEC = Path(__file__).parent / "spec" / "events.tsv"


def rows():
    lines = [line for line in SPEC.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, (line.split("\t") + [""] * len(header))[: len(header)])) for line in lines[1:]]


def slot_text(filler):
    return filler.text if filler else ""


def event_of(doc, convoy_text):
    events = [e for e in doc.events if convoy_text in doc.convoys[e.convoy].text]
    assert len(events) == 1, [(doc.convoys[e.convoy].text) for e in doc.events]
    return events[0]


@pytest.fixture(scope="module")
def rules_nlp():
    """The default pipeline without the decision stage: events from the rules' own convoys."""
    from extract import Pipeline

    return Pipeline.default(disable=("decide",))


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["convoy"])
def test_event_spec(rules_nlp, row):
    doc = rules_nlp(row["sentence"], published=row["published"])
    assert_spans_exact(doc)
    event = event_of(doc, row["convoy"])
    got = {
        "actor": slot_text(event.actor), "beneficiary": slot_text(event.beneficiary),
        "crossing": slot_text(event.crossing), "origin": slot_text(event.origin),
        "destinations": "|".join(d.text for d in event.destinations), "date": event.date or "",
        "date_source": event.date_source or "", "direction": event.direction or "",
    }
    assert got == {k: row[k] for k in got}
    assert event.evidence_text == doc.text[event.evidence_start:event.evidence_end]


def test_seed_events(nlp, seed_text):
    doc = nlp(seed_text, published="2020-04-24")
    by_convoy = {doc.convoys[e.convoy].text: e for e in doc.events}
    hundred = by_convoy["قافلة تضم أكثر من 100 شاحنة"]
    assert (hundred.size_min, hundred.size_max, hundred.vehicle) == (101, None, "truck")
    assert hundred.crossing.canonical != by_convoy["قافلة مساعدات"].crossing.canonical
    assert slot_text(hundred.crossing) == 'معبر "الوليد”'
    assert slot_text(hundred.origin) == "إقليم كردستان العراق"
    assert [d.text for d in hundred.destinations] == ["الحسكة", "دير الزور"]
    assert slot_text(hundred.actor) == "التحالف الدولي"
    assert hundred.direction == "entering"
    assert "قافلات شاحنات" not in by_convoy  # the umbrella of "من بينها قافلة …" is not a second convoy
    aid = by_convoy["قافلة مساعدات"]
    assert slot_text(aid.crossing) == "معبر سيمالكا"
    assert slot_text(aid.actor) == "التحالف" and aid.actor.canonical == hundred.actor.canonical
    assert slot_text(aid.beneficiary) == "قوات سوريا الديمقراطية"
    assert (aid.date, aid.date_source) == ("2020-03-24", "sentence")
    trucks = by_convoy["مئات الشاحنات"]
    assert (trucks.date, trucks.date_end, trucks.size_min, trucks.size_max) == ("2019-12-23", "2020-04-23", 200, 999)
    assert slot_text(trucks.actor) == "التحالف الدولي"


def test_same_crossing_refers_back(nlp):
    text = ("دخلت اليوم قافلة تضم 30 شاحنة عبر معبر باب الهوى.\n"
            "وأمس، عبرت 18 شاحنة من المعبر ذاته متجهة إلى إعزاز.")
    doc = nlp(text, published="2023-02-23")
    second = event_of(doc, "18 شاحنة")
    assert slot_text(second.crossing) == "معبر باب الهوى" and second.crossing.start == text.index("معبر باب الهوى")
    assert (second.date, second.date_source) == ("2023-02-22", "sentence")


def test_a_convoy_part_of_a_sized_one_shares_its_slots(nlp):
    text = ("دخلت 3 قوافل تضم 120 شاحنة لـ\"التحالف الدولي\" عبر معبر الوليد، "
            "من بينها قافلة تضم 40 شاحنة توجهت إلى قاعدة الشدادي.")
    doc = nlp(text, published="2021-01-10")
    part = event_of(doc, "قافلة تضم 40 شاحنة")
    whole = doc.events[part.part_of]
    assert (doc.convoys[whole.convoy].text, whole.size_min) == ("3 قوافل تضم 120 شاحنة", 120)
    assert slot_text(part.actor) == "التحالف الدولي" and slot_text(part.crossing) == "معبر الوليد"


def test_no_convoy_no_event(nlp):
    assert nlp("قصفت الطائرات مواقع في ريف إدلب.", published="2020-01-01").events == []


@pytest.fixture(scope="module")
def every_convoy() -> Pipeline:
    """The default pipeline keeping every convoy candidate, whatever its confidence."""
    return Pipeline.default(min_confidence=0.0)


def test_a_headline_convoy_told_again_in_the_body_is_one_event(every_convoy):
    # the record's title is another line, so the text's first line is read as a sentence of its own
    text = "قافلة جديدة تدخل إدلب\nدخلت قافلة تضم 20 شاحنة عبر معبر باب الهوى أمس"
    doc = every_convoy(text, published="2020-02-10", title="إدلب اليوم")
    assert [(c.text, c.start) for c in doc.convoys] == [("قافلة", 0), ("قافلة تضم 20 شاحنة", 27)]
    assert [(e.convoy, e.size_min, e.crossing.canonical) for e in doc.events] == [(1, 20, "bab_al_hawa")]


def test_a_headline_convoy_of_another_size_stays_an_event(every_convoy):
    text = "دخول 50 شاحنة مساعدات إلى إدلب\nودخلت قافلة تضم 12 شاحنة وقود عبر معبر باب الهوى أمس."
    doc = every_convoy(text, published="2020-02-10", title="إدلب اليوم")
    assert [(e.convoy, e.size_min) for e in doc.events] == [(0, 50), (1, 12)]
