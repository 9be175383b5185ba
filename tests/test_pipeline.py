"""The public API: Pipeline.default(), calling it, streaming with pipe(), adding a stage."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import Document, Pipeline
from tests.conftest import assert_spans_exact


def test_call_with_metadata(nlp):
    doc = nlp("دخلت قافلة عبر معبر الوليد.", doc_id="a1", published="2020-04-23", title="قافلة")
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.published, doc.title) == ("a1", dt.date(2020, 4, 23), "قافلة")
    assert [t.text for t in doc.tokens] == ["دخلت", "قافلة", "عبر", "معبر", "الوليد", "."]


def test_pipe_streams_texts_and_dicts(nlp):
    items = iter(["نص أول.", {"text": "نص ثان.", "doc_id": "d2", "published": "2021-01-02"}])
    docs = nlp.pipe(items)
    first = next(docs)
    assert first.text == "نص أول." and first.doc_id is None
    second = next(docs)
    assert second.doc_id == "d2" and second.published == dt.date(2021, 1, 2)


def test_unreadable_published_date_is_none(nlp):
    assert nlp("نص", published="yesterday-ish").published is None


def test_adding_a_stage_leaves_the_others_alone():
    nlp = Pipeline.default()
    before = list(nlp.names)

    class CountTokens:
        name = "count"

        def __call__(self, doc):
            doc.title = str(len(doc.tokens))
            return doc

    from extract.errors import ExtractWarning

    with pytest.warns(ExtractWarning, match="'count' cannot be rebuilt in another process"):
        nlp.add(CountTokens())  # defined in a function: runs here, a worker could not import it
    assert nlp.names == [*before, "count"]
    assert nlp("ثلاث كلمات هنا").title == "3"
    assert nlp.timings["count"] > 0


def test_signature_names_version_and_stages(nlp):
    assert nlp.signature.startswith("extract ")
    assert "normalize > tokenize" in nlp.signature


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_spans_stay_exact(nlp, text):
    doc = nlp(text)
    assert_spans_exact(doc)
    assert doc.to_dict()["text"] == text


def test_wrong_input_types_are_explicit_errors(nlp):
    from extract.errors import ArticleTypeError, ExtractError

    with pytest.raises(ArticleTypeError, match="not NoneType"):
        nlp(None)
    with pytest.raises(ArticleTypeError, match="decode the bytes first") as raised:
        nlp("قافلة".encode())
    assert isinstance(raised.value, (TypeError, ExtractError))


def test_max_seconds_bounds_one_document():
    from extract.errors import DocumentTimeout

    nlp = Pipeline(ner=None, max_seconds=0.2)
    with pytest.raises(DocumentTimeout, match="longer than 0.2 s"):
        nlp("قافلة تضم 10 شاحنات " * 30_000)
    assert nlp("دخلت قافلة تضم 75 شاحنة.").convoys


# -- mistakes at the API boundary are errors or warnings, never silent (issue 15) ---------------

def test_day_first_and_slashed_publication_dates_are_read(nlp):
    for published in ("24/04/2020", "2020/04/24", "2020-04-24T23:10:00+03:00", "٢٤/٠٤/٢٠٢٠"):
        doc = nlp("دخلت قافلة أمس عبر معبر باب الهوى", published=published)
        assert str(doc.published) == "2020-04-24"
        assert [d.value for d in doc.dates] == ["2020-04-23"]


def test_an_unreadable_publication_date_warns_on_the_document_and_in_python(nlp):
    from extract.errors import ExtractWarning

    with pytest.warns(ExtractWarning, match="next week"):
        doc = nlp("دخلت قافلة أمس عبر معبر باب الهوى", published="next week")
    assert doc.published is None and [d.value for d in doc.dates] == [None]
    assert doc.to_dict()["warnings"] == doc.warnings and "next week" in doc.warnings[0]


def test_a_misspelt_metadata_keyword_is_refused(nlp):
    from extract.errors import ExtractError

    with pytest.raises(ExtractError, match="'publshed'.*published"):
        nlp("دخلت قافلة أمس", publshed="2020-04-24")


@pytest.mark.parametrize("disable, message", [
    (["gazeteer"], "cannot disable 'gazeteer'.*gazetteer"),
    (["tokenize"], r"'ner' needs doc\.tokens \(from 'tokenize'\)"),
    (["convoys"], r"'decide' needs doc\.convoys \(from 'convoys'\) before it"),
    (["gazetteer"], r"'decide' needs doc\.crossings \(from 'gazetteer'\) before it"),
])
def test_a_disable_that_breaks_the_pipeline_is_refused(disable, message):
    from extract.errors import PipelineError

    with pytest.raises(PipelineError, match=message):
        Pipeline.default(disable=disable)


def test_get_names_the_components_it_has(nlp):
    from extract.errors import PipelineError

    with pytest.raises(PipelineError, match="no component 'gazeteer'.*gazetteer"):
        nlp.get("gazeteer")
    assert nlp.get("gazetteer").name == "gazetteer"
