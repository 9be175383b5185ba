"""Facility names (a head noun and the name after it are one place) and names of events and
bodies (the place or person inside is no mention), extract/rules/facilities.py; real news
phrasing from Saudi, Lebanese and Syrian papers, exact spans and offsets."""

from __future__ import annotations

import pytest

from extract import Pipeline
from extract.lexicons import read_tsv
from tests.conftest import assert_spans_exact


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.default(ner=None)


@pytest.mark.parametrize("text, name, place_type", [
    ("ونقل المصاب إلى مستشفى عسير المركزي جراء الاعتداء", "مستشفى عسير المركزي", "hospital"),
    ("وقع الحادث على طريق خريص- الرياض القديم، مبينا أن الشاحنة يقودها مقيم", "طريق خريص- الرياض القديم", "road"),
    ("وتشهد نقطة المصنع على طريق بيروت – دمشق الدولي زحمة خانقة", "طريق بيروت – دمشق الدولي", "road"),
    ("وقع الحادث على طريق الجديدة - عرعر مساء أمس", "طريق الجديدة - عرعر", "road"),
    ("وصل الوفد إلى مسجد الأمير سلطان بن عبدالعزيز لأداء الصلاة", "مسجد الأمير سلطان بن عبدالعزيز", "building"),
])
def test_a_facility_head_and_its_name_are_one_place(rules, text, name, place_type):
    doc = rules(text)
    [facility] = [p for p in doc.places if p.extractor == "rules:facilities"]
    start = text.index(name)
    assert (facility.text, facility.start, facility.end, facility.place_type, facility.canonical) == \
        (name, start, start + len(name), place_type, None)
    assert not [m for m in doc.places + doc.actors if m is not facility and facility.overlaps(m)]
    assert_spans_exact(doc)


def test_a_listed_facility_keeps_its_id_and_takes_its_adjectives(rules):
    doc = rules("ووصل الوزير إلى مطار القاهرة الدولي أمس")
    [airport] = doc.places
    assert (airport.text, airport.canonical, airport.place_type) == ("مطار القاهرة الدولي", "cairo_airport", "airport")


@pytest.mark.parametrize("text", [
    "كرّم سمو أمير منطقة عسير رعاة مهرجان أبها للتسوق",
    "فاز الباحث بجائزة الملك فيصل العالمية للعلوم",
    "وتأهل الفريق إلى دوري أبطال آسيا بعد فوزه",
    "يذكر أن جامعة تبوك تعرضت لحملة نقد لاذعة",
    "فشكرا لأمانة الأحساء على هذه المبادرة",
    "وزارة النقل – أمانة محافظة جدة. وأشار إلى أن الأعمال بدأت",  # one word between head and name
    "على مستوى التطور الذي حققته جمارك دبي في تقديم الخدمات الجمركية",
    "أدبي جدة يطلق حقيبة السائح المثقف",
    "أبدى وفد من غرفة تجارة وصناعة دبي إعجابه بما وصلت إليه الغرفة",  # two words joined by و between
    "وأعلنت هيئة الطرق أن مترو دبي نقل مليون راكب",
    "والفائز من كل مجموعة يبلغ مونديال روسيا 2018",
])
def test_the_place_or_person_in_an_event_or_a_body_named_after_its_seat_is_no_mention(rules, text):
    doc = rules(text)
    inside = [m.text for m in doc.places + doc.actors if m.text in ("أبها", "الملك فيصل", "آسيا", "تبوك", "الأحساء", "جدة", "دبي", "روسيا")]
    assert inside == []


def test_a_name_after_a_preposition_is_a_location_not_the_facility_name(rules):
    doc = rules("قتل شخص في مستشفى بجدة أمس")
    assert [(p.text, p.canonical) for p in doc.places] == [("جدة", "jeddah")]


def test_the_heads_come_from_the_corpus_and_the_curated_file():
    rows = {r["head"]: r for r in read_tsv("facility_heads.tsv")}
    assert rows["مسجد"]["kind"] == "facility" and rows["مسجد"]["source"] == "WikiFANE facility spans"
    assert rows["مستشفي"]["place_type"] == "hospital"
    assert rows["مهرجان"]["kind"] == "name"
    assert "دير" not in rows and "بيت" not in rows  # دير الزور، بيت لحم open town names


@pytest.mark.parametrize("text", ["مهرجان", "كأس أبطال", "وزار مهرجان الصيف", "كأس العالم", "طريق -", "مستشفى الملك"])
def test_a_head_at_the_end_of_the_text_is_no_name(rules, text):
    assert rules(text).places == []
