"""Convoy mentions: the spec table in tests/spec/convoys.tsv, the lexicons, the gold articles."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import pytest

from extract import Pipeline
from extract.lexicons import read_tsv
from extract.normalize import Normalizer
from extract.rules import convoys as convoys_module
from extract.rules.convoys import ConvoyMatcher
from extract.rules.dates import DateMatcher
from extract.tokenize import Tokenizer
from tests.conftest import assert_spans_exact, gold_articles, needs_shared

SPEC = Path(__file__).parent / "spec" / "convoys.tsv"
FIELDS = ("size_min", "size_max", "approximate", "vehicle", "vehicles", "convoy_word", "cargo", "counts", "rule")


def _rows() -> list[dict[str, str]]:
    lines = [line for line in SPEC.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, (line.split("\t") + [""] * len(header))[: len(header)])) for line in lines[1:]]


SENTENCES = [(sentence, [r for r in rows if r["text"] != "-"])
             for sentence, rows in groupby(_rows(), key=lambda r: r["sentence"])]


@pytest.fixture(scope="module")
def matcher() -> Pipeline:
    return Pipeline([Normalizer(), Tokenizer(), DateMatcher(), ConvoyMatcher()])


def _expected(row: dict[str, str]) -> tuple:
    def value(name: str):
        cell = row[name]
        if name in ("size_min", "size_max"):
            return int(cell) if cell else None
        if name == "approximate":
            return cell == "true"
        if name in ("vehicles", "cargo"):
            return cell.split("|") if cell else []
        return cell or None
    return tuple(value(name) for name in FIELDS)


def _found(mention) -> tuple:
    values = {name: getattr(mention, name) for name in FIELDS if name != "rule"}
    values["rule"] = mention.extractor.removeprefix("convoys:")
    return tuple(values[name] for name in FIELDS)


def test_spec_has_enough_convoy_cases():
    assert sum(len(rows) for _, rows in SENTENCES) >= 80


@pytest.mark.parametrize(("sentence", "rows"), SENTENCES, ids=[s for s, _ in SENTENCES])
def test_spec(matcher, sentence, rows):
    doc = matcher(sentence)
    assert [c.text for c in doc.convoys] == [r["text"] for r in rows]
    position = 0
    for mention, row in zip(doc.convoys, rows):
        start = sentence.index(row["text"], position)
        assert (mention.start, mention.end) == (start, start + len(row["text"]))
        assert doc.text[mention.start:mention.end] == mention.text
        assert mention.sentence == doc.sentence_index(mention.start)
        assert _found(mention) == _expected(row)
        position = mention.end


def _lexicon_rows(name: str, **match: str) -> list[dict[str, str]]:
    return [row for row in read_tsv(name) if all(row[k] == v for k, v in match.items())]


VEHICLE_NOUNS = [r for r in read_tsv("vehicles.tsv") if r["number"] != "mod"]
MODIFIERS = _lexicon_rows("vehicles.tsv", number="mod")
CONVOY_NOUNS = _lexicon_rows("convoy_words.tsv", role="convoy")
CARGO_WORDS = read_tsv("cargo_words.tsv")


@pytest.mark.parametrize("row", VEHICLE_NOUNS, ids=[r["form"] for r in VEHICLE_NOUNS])
def test_every_vehicle_form_is_counted(matcher, row):
    (mention,) = matcher(f"دخلت 12 {row['form']} إلى المدينة").convoys
    assert (mention.text, mention.size_min, mention.vehicle) == (f"12 {row['form']}", 12, row["kind"])


@pytest.mark.parametrize("row", MODIFIERS, ids=[r["form"] for r in MODIFIERS])
def test_every_modifier_stays_in_the_span_and_refines_a_generic_kind(matcher, row):
    (mention,) = matcher(f"دخلت 12 عربة {row['form']} إلى المدينة").convoys
    refined = row["kind"] if "vehicle" in row["refines"].split("|") else "vehicle"
    assert (mention.text, mention.vehicle) == (f"12 عربة {row['form']}", refined)


@pytest.mark.parametrize("row", CONVOY_NOUNS, ids=[r["phrase"] for r in CONVOY_NOUNS])
def test_every_convoy_noun_takes_a_size(matcher, row):
    (mention,) = matcher(f"دخلت {row['phrase']} تضم 12 شاحنة").convoys
    assert (mention.text, mention.size_min, mention.convoy_word, mention.extractor) == (
        f"{row['phrase']} تضم 12 شاحنة", 12, row["canonical"], "convoys:convoy_with_size")


@pytest.mark.parametrize("row", CARGO_WORDS, ids=[r["word"] for r in CARGO_WORDS])
def test_every_cargo_word_names_its_class(matcher, row):
    (mention,) = matcher(f"دخلت 12 شاحنة تحمل {row['word']} إلى المدينة").convoys
    assert mention.cargo == [row["cargo"]]


@pytest.mark.parametrize(("role", "listed"), [("movement", True), ("hostile", False), ("total", False)])
def test_cue_words_decide_whether_a_bare_count_is_a_convoy(matcher, role, listed):
    for row in _lexicon_rows("convoy_words.tsv", role=role):
        found = matcher(f"{row['phrase']} 12 شاحنة").convoys
        assert bool(found) is listed, row["phrase"]


def test_a_linked_size_in_the_next_sentence_replaces_the_sizeless_convoy(matcher):
    doc = matcher("دخلت قافلة مساعدات إلى إدلب. وتتألف من 40 شاحنة.")
    assert [(c.text, c.size_min, c.convoy_word, c.cargo, c.sentence) for c in doc.convoys] == [
        ("40 شاحنة", 40, "convoy", ["aid"], 1)]


def test_a_definite_convoy_without_size_keeps_the_convoy_it_names(matcher):
    doc = matcher("دخلت قافلة مساعدات إلى إدلب. واتجهت القافلة نحو سرمدا.")
    assert [(c.text, c.sentence) for c in doc.convoys] == [("قافلة مساعدات", 0)]


def test_offsets_index_the_original_text_with_diacritics_and_tatweel(matcher):
    text = "وأدخلَ الجيشُ رتلاً عسكريّاً مؤلّفاً من نحو ٣٠ آليـــة، بينها دبابات"
    doc = matcher(text)
    assert_spans_exact(doc)
    assert [(c.text, c.size_min, c.vehicles) for c in doc.convoys] == [
        ("رتلاً عسكريّاً مؤلّفاً من نحو ٣٠ آليـــة", 30, ["military_vehicle", "tank"])]


def test_default_pipeline_runs_convoys_before_events():
    names = Pipeline.default().names
    assert names.index("tokenize") < names.index("convoys") < names.index("events")


def test_a_quantity_timeout_skips_sizes_not_the_document(matcher, monkeypatch):
    def timeout(text):
        raise TimeoutError(text[:10])
    monkeypatch.setattr(convoys_module, "find_quantities", timeout)
    doc = matcher("دخلت قافلة مساعدات تضم 30 شاحنة إلى إدلب")
    assert [(c.text, c.size_min) for c in doc.convoys] == [("قافلة مساعدات", None)]


@pytest.mark.parametrize("text", [
    "",
    "   \n\n",
    "قافلة " * 3000,
    "دخلت " + "30 شاحنة و" * 3000,
    "تضم " + "بينها دبابات و" * 3000,
    "رتل من " + "و" * 10000 + " 5 آليات",
    "دخلت 5 شاحنات " * 2000 + "." * 500,
])
def test_adversarial_input_finishes(matcher, text):
    doc = matcher(text)
    assert_spans_exact(doc)


@needs_shared
def test_gold_convoys_are_found_with_their_sizes(matcher):
    for gold, text in gold_articles():
        doc = matcher(text)
        assert_spans_exact(doc)
        found = {c.text: (c.size_min, c.size_max) for c in doc.convoys}
        for convoy in gold["convoys"]:
            assert found.get(convoy["text"]) == (convoy["size_min"], convoy["size_max"]), (gold["doc_id"], convoy)


@needs_shared
def test_gold_articles_get_no_sized_item_the_gold_lacks(matcher):
    """Cumulative totals (ارتفع عدد الآليات … إلى نحو 2500 آلية) and other counts stay out; the only
    extra items are convoy nouns without a size (the group in ``قافلات شاحنات …، من بينها قافلة …``)."""
    for gold, text in gold_articles():
        listed = {c["text"] for c in gold["convoys"]}
        extra = [c for c in matcher(text).convoys if c.text not in listed]
        assert all(c.size_min is None and c.size_max is None and c.convoy_word for c in extra), extra


def test_a_sizeless_headline_convoy_echoing_the_body_is_dropped():
    nlp = Pipeline.default(min_confidence=0.0)  # the echo rule itself, before the decision threshold
    text = "رتل تركي جديد يدخل إدلب\nدخل رتل عسكري تركي يضم نحو 45 آلية عبر معبر كفرلوسين."
    doc = nlp(text, title="رتل تركي جديد يدخل إدلب")
    assert [c.text for c in doc.convoys] == ["رتل عسكري تركي يضم نحو 45 آلية"]
    alone = nlp("رتل تركي جديد يدخل إدلب\nقصفت الطائرات مواقع في ريف إدلب.", title="رتل تركي جديد يدخل إدلب")
    assert [c.text for c in alone.convoys] == ["رتل"]


@pytest.mark.parametrize("text, convoy, other", [
    ("وقالت القيادة العسكرية إن سيارة مفخخة انفجرت عند وصول قافلة مدرعات تابعة للقوات الخاصة للدرك "
     "لتعزيز وحدة دركيين أخرى تدخلت بعد احتراق ثلاث آليات على طريق في منطقة ليجي.", "قافلة مدرعات", "ثلاث آليات"),
    ("وتم تدمير رتل عسكري وعدد من الآليات كانت متجهة لتعزيز فلول الحوثيين بالقرب من الحدود.", "رتل عسكري", "عدد من الآليات"),
])
def test_a_count_after_another_unit_or_joined_by_wa_is_not_the_convoys_size(matcher, text, convoy, other):
    found = [(m.text, text[m.start:m.end], m.extractor) for m in matcher(text).convoys]
    assert (convoy, convoy, "convoys:convoy_without_size") in found
    assert not [f for f in found if f[0] == other and f[2] == "convoys:convoy_size_apart"]
