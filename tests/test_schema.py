"""Every record the pipeline writes validates against the versioned JSON Schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from extract.io.readers import Article
from extract.runner import article_record
from extract.schema import article_schema
from tests.conftest import ROOT, gold_articles, needs_shared
from tests.test_export import make_doc

VALIDATOR = jsonschema.Draft202012Validator(article_schema(), format_checker=jsonschema.FormatChecker())


def assert_valid(record):
    errors = sorted(VALIDATOR.iter_errors(record), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    for layer in ("entities", "dates", "actors", "places", "crossings", "convoys"):
        for item in record[layer]:
            assert record["text"][item["start"]:item["end"]] == item["text"]


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(article_schema())


def test_sample_record_validates(nlp):
    text = (ROOT / "data" / "raw" / "000_8ede33af2f05cf80.txt").read_text(encoding="utf-8")
    assert_valid(article_record(nlp, Article("seed", text, "seed.txt", published="2020-04-24")))


def test_hand_built_record_with_events_validates():
    assert_valid(json.loads(json.dumps(make_doc().to_dict())))


def test_a_broken_record_is_rejected():
    record = json.loads(json.dumps(make_doc().to_dict()))
    record["convoys"][0]["size_min"] = "many"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(record)


@needs_shared
def test_gold_articles_validate(nlp):
    for gold, text in gold_articles():
        assert_valid(article_record(nlp, Article(gold["doc_id"], text, "gold", published=gold["published"])))


def test_record_with_read_warnings_validates(nlp):
    article = Article("w", "دخلت قافلة تضم 75 شاحنة عبر معبر ال\ufffdوليد.", "w.txt",
                      warnings=("1 invalid UTF-8 byte sequence(s) replaced with U+FFFD",))
    record = json.loads(json.dumps(article_record(nlp, article)))
    assert record["warnings"] == list(article.warnings)
    assert_valid(record)
    record["warnings"] = "one"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(record)
