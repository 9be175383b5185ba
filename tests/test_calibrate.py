"""The calibration stage: dates, actors and places carry a learned probability of being right."""

from __future__ import annotations

import pytest

from extract import Pipeline

SHELLING = "قصفت قوات النظام السوري بلدة معارة النعسان شرقي إدلب أمس"
QUIET = "سقطت قذائف على بلدة معارة النعسان شرقي إدلب أمس"


def mentions(doc):
    return [(layer, m.text, m.start, m.end, m.confidence) for layer in ("dates", "actors", "places")
            for m in getattr(doc, layer)]


def test_every_date_actor_and_place_has_a_probability(nlp):
    doc = nlp(SHELLING, published="2015-07-21")
    found = mentions(doc)
    assert [(layer, text) for layer, text, *_ in found] == [
        ("dates", "أمس"), ("actors", "قوات النظام السوري"), ("places", "بلدة معارة النعسان"), ("places", "إدلب")]
    assert all(isinstance(p, float) and 0.0 < p < 1.0 for *_, p in found)
    assert [e.confidence for e in doc.entities if e.text == "إدلب"] == [pytest.approx(0.9992, abs=1e-3)]  # NER keeps its marginal


def test_an_unknown_village_is_likelier_right_in_a_report_of_armed_actors(nlp):
    """The same unknown settlement: the article's armed actor is evidence of conflict reporting,
    where such names are mostly right."""
    def village(text):
        return next(m.confidence for m in nlp(text, published="2015-07-21").places if m.text == "بلدة معارة النعسان")

    assert village(SHELLING) > 0.5 > village(QUIET)


def test_a_lexicon_place_with_its_id_outscores_an_unknown_name(nlp):
    doc = nlp(QUIET, published="2015-07-21")
    scores = {m.text: m.confidence for m in doc.places}
    assert scores["إدلب"] > scores["بلدة معارة النعسان"]


def test_min_mention_confidence_drops_only_what_is_under_it(nlp):
    everything = mentions(nlp(QUIET, published="2015-07-21"))
    kept = mentions(Pipeline.default(min_mention_confidence=0.5)(QUIET, published="2015-07-21"))
    assert kept == [m for m in everything if m[-1] >= 0.5]
    assert ("places", "بلدة معارة النعسان", 15, 33) in [m[:4] for m in everything]
    assert ("places", "بلدة معارة النعسان", 15, 33) not in [m[:4] for m in kept]
