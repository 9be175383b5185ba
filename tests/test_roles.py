"""Role typing (extract/rules/roles.py) and persons from NER: states that act are actors,
countries used as locations stay places, team names are neither; real news phrasing."""

from __future__ import annotations

import pytest

from extract import Pipeline


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.default(ner=None)


@pytest.mark.parametrize("text, actors, places", [
    ("أعلنت تركيا إغلاق معبر باب الهوى أمام الشاحنات", [("تركيا", "state", "turkey")], []),
    ("تركيا تعلن إغلاق حدودها مع سوريا", [("تركيا", "state", "turkey")], [("سوريا", "syria")]),
    ("طالبت أنقرة بوقف القصف على إدلب", [("أنقرة", "state", "turkey")], [("إدلب", "idlib")]),
    ("وصلت القافلة إلى تركيا أمس عبر معبر باب الهوى", [], [("تركيا", "turkey")]),
    ("وصل الوفد إلى الرياض لحضور الاجتماع", [], [("الرياض", "riyadh")]),
    ("تعادل المنتخب السعودي مع منتخب الإمارات في الرياض", [], [("الرياض", "riyadh")]),
])
def test_states_act_and_countries_locate(rules, text, actors, places):
    doc = rules(text)
    assert [(a.text, a.actor_type, a.canonical) for a in doc.actors] == actors
    assert [(p.text, p.canonical) for p in doc.places] == places
    for mention in doc.actors + doc.places:
        assert text[mention.start:mention.end] == mention.text


def test_a_state_as_agent_is_traceable(rules):
    [state] = rules("ورحبت مصر بالاتفاق").actors
    assert (state.text, state.extractor, state.canonical) == ("مصر", "gazetteer:actors:state_as_agent", "egypt")


def test_a_named_person_is_an_actor(nlp):
    doc = nlp("وقال وزير الخارجية التركي مولود جاويش أوغلو إن بلاده سترسل مساعدات إلى إدلب")
    persons = [(a.text, a.actor_type, a.canonical) for a in doc.actors if a.actor_type == "person"]
    assert persons == [("مولود جاويش أوغلو", "person", None)]


def test_one_unknown_name_groups_across_articles_by_its_key(nlp):
    first = nlp("وقال وزير الخارجية التركي مولود جاويش أوغلو إن بلاده سترسل مساعدات إلى إدلب")
    second = nlp("وأكد مولود جاويش اوغلو في أنقرة أن المعبر سيفتح")
    keys = {a.key for doc in (first, second) for a in doc.actors if a.actor_type == "person"}
    assert keys == {"name:مولود_جاويش_اوغلو"}
    assert [(p.text, p.key) for p in first.places] == [("إدلب", "idlib")]
