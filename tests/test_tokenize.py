"""Tokens, sentences and clitic lookup forms on real sentences of the seed article."""

from __future__ import annotations

import pytest

from extract.tokenize import lookup_forms
from tests.conftest import assert_spans_exact


def tokens_of(nlp, text):
    return [t.text for t in nlp(text).tokens]


def test_tokens_keep_numbers_and_split_punctuation(nlp):
    text = 'فمنذ 23 ديسمبر 2019 وحتى 23 أبريل 2020، استقدم "التحالف الدولي" مئات الشاحنات'
    assert tokens_of(nlp, text) == [
        "فمنذ", "23", "ديسمبر", "2019", "وحتى", "23", "أبريل", "2020", "،", "استقدم",
        '"', "التحالف", "الدولي", '"', "مئات", "الشاحنات",
    ]


def test_tatweel_clitic_and_quotes(nlp):
    doc = nlp('دخول قافلات شاحنات لـ"التحالف الدولي" إلى الأراضي السورية')
    assert [t.text for t in doc.tokens][3:6] == ["لـ", '"', "التحالف"]
    assert [t.norm for t in doc.tokens][3:6] == ["ل", '"', "التحالف"]
    assert_spans_exact(doc)


def test_ordinal_with_tatweel_and_digits(nlp):
    assert tokens_of(nlp, "وفي الـ14 من أبريل") == ["وفي", "الـ", "14", "من", "أبريل"]


def test_decimal_thousands_and_dotted_dates_stay_whole(nlp):
    assert tokens_of(nlp, "نحو 1,200 شاحنة في 23.12.2019 بنسبة 3.5") == [
        "نحو", "1,200", "شاحنة", "في", "23.12.2019", "بنسبة", "3.5"]


@pytest.mark.parametrize("form, expected", [
    ("والحسكه", [(0, "والحسكه"), (1, "الحسكه")]),
    ("بريف", [(0, "بريف"), (1, "ريف")]),
    ("وبريف", [(0, "وبريف"), (1, "بريف"), (2, "ريف")]),
    ("للتحالف", [(0, "للتحالف"), (1, "لتحالف"), (0, "التحالف")]),
    ("وللتحالف", [(0, "وللتحالف"), (1, "للتحالف"), (2, "لتحالف"), (1, "التحالف")]),
    ("فالمرصد", [(0, "فالمرصد"), (1, "المرصد")]),
    ("كالعاده", [(0, "كالعاده"), (1, "العاده")]),
    ("ودير", [(0, "ودير"), (1, "دير")]),
    ("بال", [(0, "بال"), (1, "ال")]),
    ("وب", [(0, "وب")]),
    ("دير", [(0, "دير")]),
])
def test_lookup_forms(form, expected):
    assert list(lookup_forms(form)) == expected


def test_seed_sentences(nlp, seed_text):
    doc = nlp(seed_text)
    starts = [s.text[:25] for s in doc.sentences]
    assert starts == [
        "بعد 67 شهرا..",
        "التحالف الدولى: نفط سوريا",
        "أنهت عمليات التحالف الدول",
        "فمنذ 23 ديسمبر 2019 وحتى ",
        "ورصد المرصد السوري لحقوق ",
        "ومع إتمام \"التحالف الدولي",
        "- مكافحة بقايا داعش",
        "على الرغم من أن الإعلان ا",
        "وواصل \"التحالف الدولي\" عم",
        "وفي الـ14 من أبريل، علم ا",
        "وكان المرصد السوري علم قب",
    ]
    assert doc.sentences[4].text.endswith("نحو الأراضي السورية.")
    assert_spans_exact(doc)
    assert all(t.sentence == s.index for s in doc.sentences for t in doc.tokens[s.token_start:s.token_end])


@pytest.mark.parametrize("text, expected", [
    ("قال د. محمد إن القافلة وصلت. ثم غادرت.", ["قال د. محمد إن القافلة وصلت.", "ثم غادرت."]),
    ("بلغ المعدل 3.5 بالمئة. وارتفع العدد", ["بلغ المعدل 3.5 بالمئة.", "وارتفع العدد"]),
    ("في 23.12.2019 دخلت القافلة! هل عادت؟ نعم", ["في 23.12.2019 دخلت القافلة!", "هل عادت؟", "نعم"]),
    ('قال: "انتهى الأمر." ثم غادر', ['قال: "انتهى الأمر."', "ثم غادر"]),
    ("العنوان\nالنص الأول؛ النص الثاني", ["العنوان", "النص الأول؛", "النص الثاني"]),
    ("انتظروا... ثم دخلوا", ["انتظروا...", "ثم دخلوا"]),
])
def test_sentence_splitting(nlp, text, expected):
    assert [s.text for s in nlp(text).sentences] == expected
