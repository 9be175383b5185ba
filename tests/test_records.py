"""Records read back: Document.from_dict / from_json give the document a line of articles.jsonl
describes, and writing it again gives the same line, byte for byte."""

from __future__ import annotations

import copy
import json
import zipfile

import orjson
import pytest

from extract import Document
from extract.doc import ConvoyMention
from extract.errors import RecordError
from extract.events import ConvoyEvent, SlotFiller
from extract.io.readers import Article, read_inputs
from extract.runner import RunOptions, run
from tests.conftest import ROOT, SHARED, gold_articles, needs_shared

ARCHIVE = SHARED / "data" / "unlabeled" / "saudinewsnet" / "2015-08-07.zip"


def archive_articles(n: int) -> list[Article]:
    """The first ``n`` SaudiNewsNet articles of one day, with their title, date and address."""
    with zipfile.ZipFile(ARCHIVE) as archive:
        rows = json.loads(archive.read(archive.namelist()[0]))[:n]
    return [Article(doc_id=f"snn-{i}", text=row["content"], source="2015-08-07.zip", title=row["title"],
                    published=row["date_extracted"], url=row["url"]) for i, row in enumerate(rows)]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Lines of articles.jsonl from a run over the sample, the gold articles and archive articles."""
    out = tmp_path_factory.mktemp("out")
    items = [*read_inputs([ROOT / "data" / "raw"]),
             *(Article(gold["doc_id"], text, "gold", published=gold.get("published")) for gold, text in gold_articles()),
             Article("undated", "دخلت قافلة أمس عبر معبر باب الهوى", "x", published="next week"),
             *archive_articles(25)]
    summary = run(items, out, options=RunOptions(chunk_size=8))
    assert summary.errors == 0
    return (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()


@needs_shared
def test_every_record_of_a_run_round_trips_byte_for_byte(written):
    assert len(written) == 1 + len(gold_articles()) + 1 + 25
    for line in written:
        doc = Document.from_json(line)
        assert doc.to_dict() == json.loads(line)
        assert orjson.dumps(doc.to_dict()).decode("utf-8") == line
    kinds = {key for line in written for key in json.loads(line)}
    assert {"warnings", "checksum", "pipeline", "events"} <= kinds


@needs_shared
def test_layers_come_back_as_mentions_and_events(written):
    record = json.loads(written[0])
    assert record["doc_id"] == "000_8ede33af2f05cf80"
    doc = Document.from_dict(record)
    assert str(doc.published) == "2020-04-24" and doc.extra == {"checksum": record["checksum"],
                                                                "pipeline": record["pipeline"]}
    assert all(isinstance(c, ConvoyMention) for c in doc.convoys)
    assert [(c.text, c.size_min, c.size_max) for c in doc.convoys] == [
        (c["text"], c["size_min"], c["size_max"]) for c in record["convoys"]]
    event = doc.events[0]
    assert isinstance(event, ConvoyEvent) and isinstance(event.actor, SlotFiller)
    assert (event.actor.text, event.actor.canonical) == ("التحالف الدولي", "international_coalition")
    assert doc.text[event.actor.start:event.actor.end] == event.actor.text
    doc.convoys[0].size_min = 0
    assert record["convoys"][0]["size_min"] == 200  # the document owns its own copies


@needs_shared
def test_archive_records_keep_their_metadata(written):
    doc = Document.from_json(next(line for line in written if '"doc_id":"snn-0"' in line))
    assert (doc.published.isoformat(), doc.source) == ("2015-08-07", "2015-08-07.zip")
    assert doc.url.startswith("http") and doc.title


@pytest.fixture(scope="module")
def sample_record(nlp):
    text = (ROOT / "data" / "raw" / "000_8ede33af2f05cf80.txt").read_text(encoding="utf-8")
    return nlp(text, doc_id="000_8ede33af2f05cf80", published="2020-04-24").to_dict()


@pytest.mark.parametrize("change, message", [
    (lambda r: r.pop("text"), "has no text \\(written with --no-text\\?\\)"),
    (lambda r: r.update(schema_version="2.0"), "schema_version '2.0'; this version of extract reads '1.0'"),
    (lambda r: r["convoys"][0].update(colour="red"), r"convoys\[0\]: ConvoyMention got an unexpected keyword argument 'colour'"),
    (lambda r: r["actors"][0].update(start=r["actors"][0]["start"] + 1), r"actors\[0\]: text '.*' is not at \["),
    (lambda r: r["events"][0].update(evidence_end=5), r"events\[0\]: text '.*' is not at \[397, 5\)"),
    (lambda r: r.update(published="24/04/2020"), "published '24/04/2020' is not an ISO date"),
])
def test_a_record_that_cannot_be_a_document_says_why(sample_record, change, message):
    record = copy.deepcopy(sample_record)
    change(record)
    with pytest.raises(RecordError, match=f"record '000_8ede33af2f05cf80'.*{message}"):
        Document.from_dict(record)


def test_a_line_that_is_not_a_record_is_refused():
    with pytest.raises(RecordError, match="not a JSON line"):
        Document.from_json('{"doc_id": "a", ')
    with pytest.raises(RecordError, match="a record is a JSON object, not list"):
        Document.from_json("[1, 2]")
