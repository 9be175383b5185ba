"""Tables for analysis: to_frames on Documents and records, CSV/Parquet round trips, the export CLI."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.doc import ActorMention, ConvoyMention, CrossingMention, DateMention, Document, PlaceMention
from extract.events import ConvoyEvent, SlotFiller
from extract.export import read_frames, to_frames, write_frames

TEXT = "دخلت قافلة تضم أكثر من 100 شاحنة لـ\"التحالف الدولي\" عبر معبر الوليد إلى الحسكة أمس."


def span(cls, text, **kw):
    start = TEXT.index(text)
    return cls(text=text, start=start, end=start + len(text), sentence=0, extractor="test", **kw)


def make_doc(doc_id="a1") -> Document:
    doc = Document(text=TEXT, doc_id=doc_id, source="x.txt")
    doc.convoys = [span(ConvoyMention, "قافلة تضم أكثر من 100 شاحنة", size_min=101, vehicle="truck",
                        approximate=True, cargo=["aid", "logistics"])]
    doc.actors = [span(ActorMention, "التحالف الدولي", canonical="international_coalition", actor_type="coalition")]
    doc.crossings = [span(CrossingMention, "معبر الوليد", canonical="al_walid_iraq", countries=["SY", "IQ"])]
    doc.places = [span(PlaceMention, "الحسكة", canonical="al_hasakah", lat=36.5, lon=40.75)]
    doc.dates = [span(DateMention, "أمس", value="2020-04-23", granularity="day", relative=True)]
    def slot(layer, item):
        return SlotFiller(layer=layer, index=0, text=item.text, start=item.start, end=item.end,
                          canonical=item.canonical)

    doc.events = [ConvoyEvent(convoy=0, size_min=101, approximate=True, vehicle="truck", cargo=["aid"],
                              actor=slot("actors", doc.actors[0]), crossing=slot("crossings", doc.crossings[0]),
                              destinations=[slot("places", doc.places[0])], date="2020-04-23", date_source="sentence",
                              direction="entering", sentence=0, evidence_text=TEXT, evidence_end=len(TEXT))]
    return doc


def test_frames_from_documents():
    frames = to_frames([make_doc("a1"), make_doc("a2")])
    assert list(frames.articles.doc_id) == ["a1", "a2"]
    assert frames.articles.loc[0, "n_convoys"] == 1 and frames.articles.loc[0, "n_events"] == 1
    mentions = frames.mentions[frames.mentions.doc_id == "a1"]
    assert list(mentions.kind) == ["date", "actor", "place", "crossing", "convoy"]
    convoy = mentions[mentions.kind == "convoy"].iloc[0]
    assert (convoy.size_min, pd.isna(convoy.size_max), convoy.cargo) == (101, True, "aid|logistics")
    assert TEXT[convoy.start:convoy.end] == convoy.text
    assert mentions[mentions.kind == "crossing"].iloc[0].countries == "SY|IQ"
    event = frames.events.iloc[0]
    assert (event.actor, event.crossing, event.destinations, event.destinations_text) == (
        "international_coalition", "al_walid_iraq", "al_hasakah", "الحسكة")
    assert str(frames.mentions.dtypes["lat"]) == "Float64" and str(frames.events.dtypes["size_min"]) == "Int64"


def test_event_rows_carry_article_convoy_and_english_names():
    doc = make_doc("a1")
    doc.title, doc.url, doc.published = "قافلة جديدة", "https://example.org/a1", dt.date(2020, 4, 24)
    event = to_frames([doc]).events.iloc[0]
    assert (event.published, event.title, event.url, event.source) == ("2020-04-24", "قافلة جديدة", "https://example.org/a1", "x.txt")
    assert (event.convoy_text, TEXT[event.convoy_start:event.convoy_end]) == ("قافلة تضم أكثر من 100 شاحنة",) * 2
    assert (event.granularity, pd.isna(event.size_max), event.approximate) == ("day", True, True)
    assert event.crossing_en == "Al-Walid crossing (Hasakah – Kurdistan Region)"
    assert event.actor_en == "Global Coalition against Daesh (CJTF-OIR)" and event.destinations_en == "Al Ḩasakah"
    assert pd.isna(event.origin_en)


def test_excel_csv_has_a_byte_order_mark_and_reads_back(tmp_path):
    frames = to_frames([make_doc("a1")])
    write_frames(frames, tmp_path, "csv", excel=True)
    assert (tmp_path / "events.csv").read_bytes().startswith("\ufeffdoc_id,published".encode("utf-8"))
    pd.testing.assert_frame_equal(read_frames(tmp_path).events, frames.events)


def test_frames_from_records_equal_frames_from_documents():
    docs = [make_doc("a1")]
    records = [json.loads(json.dumps(d.to_dict())) for d in docs]
    expected = to_frames(docs)
    got = to_frames(records)
    for name in ("articles", "mentions", "events"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip(tmp_path, fmt):
    frames = to_frames([make_doc("a1"), make_doc("a2")])
    write_frames(frames, tmp_path, fmt)
    back = read_frames(tmp_path, fmt)
    for name in ("articles", "mentions", "events"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(frames, name))


def test_empty_input_gives_empty_typed_tables():
    frames = to_frames([])
    assert len(frames.mentions) == 0 and "size_min" in frames.mentions.columns


def output_folder(tmp_path):
    """An `extract run` output folder holding the hand-made document's record."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text(json.dumps(make_doc().to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def test_export_cli(tmp_path):
    out = output_folder(tmp_path)
    result = CliRunner().invoke(app, ["export", str(out), "--format", "parquet", "--to", str(tmp_path / "tables")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["articles.parquet", "events.parquet", "mentions.parquet"]
    missing = CliRunner().invoke(app, ["export", str(tmp_path / "empty")])
    assert missing.exit_code == 1 and "extract run" in missing.output
