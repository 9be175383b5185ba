"""The agency a wire names in its dateline is a media actor, with its other mentions
(extract/rules/datelines.py); real datelines, exact spans and offsets."""

from __future__ import annotations

import pytest

from extract import Pipeline


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.default(ner=None)


@pytest.mark.parametrize("text, expected", [
    ("عمان 3 شباط (بترا) – عبرت صباح اليوم أول قافلة شاحنات أردنية", [("بترا", 13)]),
    ("الدوحة - 2 - 4 (قنا) -- سيرت الجمعية قافلة إغاثية جديدة. وقال مدير الجمعية لقنا إن",
     [("قنا", 16), ("قنا", 76)]),
    ("غازي عنتاب/ الأناضول\nوقال المسؤول في تصريح للأناضول إن القافلة عبرت",
     [("الأناضول", 12), ("للأناضول", 43)]),
])
def test_the_dateline_agency_and_its_mentions(rules, text, expected):
    doc = rules(text)
    media = [(a.text, a.start) for a in doc.actors if a.extractor == "rules:dateline"]
    assert media == expected
    assert all(text[a.start:a.end] == a.text and a.actor_type == "media" for a in doc.actors)
    assert len({a.key for a in doc.actors if a.extractor == "rules:dateline"}) == 1
    assert not [p for p in doc.places if p.text.endswith("الأناضول")]


def test_no_agency_without_a_dateline(rules):
    text = "وقال المسؤول إن القافلة (المؤلفة من عشرين شاحنة) عبرت الحدود أمس"
    assert [a for a in rules(text).actors if a.extractor == "rules:dateline"] == []


def test_a_listed_place_in_the_dateline_is_no_agency(rules):
    doc = rules("حلب/ إدلب\nعبرت قافلة مساعدات إلى إدلب")
    assert [a for a in doc.actors if a.extractor == "rules:dateline"] == []
    assert [p.canonical for p in doc.places if p.text == "إدلب"] == ["idlib", "idlib"]


def test_a_bracketed_name_opening_an_article_without_a_place_is_no_agency(rules):
    text = "مؤسس الإدارة العلمية (تايلور)\nركز تايلور على الإنتاجية"
    assert [a for a in rules(text).actors if a.extractor == "rules:dateline"] == []
