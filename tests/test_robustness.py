"""Whatever text comes in, the pipeline returns and every span stays exact (property and adversarial tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.lexicons import read_tsv
from tests.conftest import assert_spans_exact

# Pieces of real news phrasing glued at random: the matchers see their own trigger words
# in every order, with digits, quotes, clitics, diacritics and punctuation between.
NEWS_PIECES = [
    "قافلة", "تضم", "أكثر من", "نحو", "100", "٢٣", "شاحنة", "الشاحنات", "رتلاً", "مؤلفاً من", "آلية", "عشرات",
    "مئات", "معبر", "الوليد", "باب الهوى", "لـ\"التحالف الدولي\"", "قسد", "بريف", "دير الزور", "والحسكة",
    "أمس", "اليوم", "الماضي", "الجاري", "كانون الأول", "نيسان/أبريل", "ديسمبر", "2019", "منذ", "وحتى", "بين",
    "و", "إلى", "من", "قادمة من", "عبر", "نحو", "هـ", "رمضان", "1441", "الـ14", "/", "-", ".", "،", "؟", "\n",
    "«", "»", "“", "”", "ـــ", "َ", "ّ", "\u200f", "67 شهرا", "مقدمة من", "تابعة لـ", "من بينها", "المعبر ذاته",
]
news_like = st.lists(st.sampled_from(NEWS_PIECES), max_size=60).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(news_like)
def test_news_like_text_never_raises(nlp, text):
    doc = nlp(text, published="2020-04-24")
    assert_spans_exact(doc)
    for event in doc.events:
        assert doc.text[event.evidence_start:event.evidence_end] == event.evidence_text
        for filler in [event.actor, event.beneficiary, event.crossing, event.origin, *event.destinations]:
            if filler is not None:
                assert doc.text[filler.start:filler.end] == filler.text


def test_lexicon_names_in_sentences_never_raise(nlp):
    names = [row["canonical_ar"] for name in ("actors.tsv", "crossings.tsv") for row in read_tsv(name)
             if row.get("canonical_ar")]
    text = "، ".join(f"دخلت قافلة تضم {i} شاحنة لـ\"{n}\"" for i, n in enumerate(names))
    assert_spans_exact(nlp(text, published="2020-04-24"))


ADVERSARIAL = [
    "ا" * 20_000,
    "1" * 20_000,
    " " * 20_000,
    "و" * 10_000 + " شاحنة",
    "خمسة و " * 3_000 + "شاحنة",
    "قافلة " * 4_000,
    "23 " * 5_000 + "ديسمبر",
    "من " * 5_000 + "2019",
    "معبر " * 5_000,
    "/" .join(["1"] * 5_000),
    "ـ" * 20_000,
    "\n" * 20_000,
    "أكثر من " * 3_000 + "100 شاحنة",
]


def test_adversarial_inputs_finish(nlp):
    for text in ADVERSARIAL:
        doc = nlp(text, published="2020-04-24")
        assert_spans_exact(doc)


def test_tens_of_thousands_of_convoy_mentions_cost_linear_time():
    # Scans over all convoys for each convoy made 10,000 convoy words take 30 s and 100,000 hours;
    # the limit only turns a hang into a failure (each of these takes seconds).
    from extract import Pipeline

    nlp = Pipeline(ner=None, disable=("decide",), max_seconds=300)  # every convoy word makes an event
    plain = nlp("قافلة " * 100_000, published="2020-04-24")
    assert len(plain.convoys) == len(plain.events) == 100_000
    one_clause = nlp("قافلة تضم 10 شاحنات عبر معبر الوليد، " * 10_000, published="2020-04-24")
    assert len(one_clause.events) == 10_000 and one_clause.events[-1].crossing.text == "معبر الوليد"
    sentences = nlp("دخلت قافلة تضم 10 شاحنات عبر معبر الوليد إلى الحسكة. " * 10_000, published="2020-04-24")
    assert len(sentences.events) == 10_000
    assert [d.text for d in sentences.events[-1].destinations] == ["الحسكة"]
