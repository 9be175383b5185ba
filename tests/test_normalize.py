"""Normalization: concrete folds, and the offset map back to the original (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.normalize import fold, normalize

CASES = [
    # diacritics and tatweel
    ("قُوّاتُ", "قوات"),
    ("الـ14", "ال14"),
    ("لـ\"التحالف\"", "ل\"التحالف\""),
    ("مُـــحـــمّـــد", "محمد"),
    ("سُورِيَا", "سوريا"),
    ("شَهْرًا", "شهرا"),
    ("قرآنٌ", "قران"),
    # alef, alef maqsura, teh marbuta
    ("إقليم", "اقليم"),
    ("أبريل", "ابريل"),
    ("آذار", "اذار"),
    ("ٱلحسكة", "الحسكه"),
    ("الدولى", "الدولي"),
    ("الرقة", "الرقه"),
    ("قافلة", "قافله"),
    # digits
    ("٢٣ ديسمبر ٢٠١٩", "23 ديسمبر 2019"),
    ("۱۴۴۱", "1441"),
    ("١٬٢٠٠", "1,200"),
    ("٣٫٥", "3.5"),
    # quotes and punctuation
    ("“داعش”", "\"داعش\""),
    ("«التحالف الدولي»", "\"التحالف الدولي\""),
    ("‘قسد’", "'قسد'"),
    ("معبر \"الوليد” الحدودي", "معبر \"الوليد\" الحدودي"),
    ("الحسكة، والرقة؛ لماذا؟", "الحسكه, والرقه; لماذا?"),
    ("٪50", "%50"),
    ("شمال–شرق", "شمال-شرق"),
    # presentation forms (NFKC) and Persian letters
    ("ﻻ", "لا"),
    ("ﺍﻟﺤﺴﻜﺔ", "الحسكه"),
    ("ﷲ", "الله"),
    ("کردستان", "كردستان"),
    ("ایران", "ايران"),
    # invisible marks, spaces, control characters
    ("قسد\u200f ", "قسد "),
    ("\ufeffنص", "نص"),
    ("دير\u00a0الزور", "دير الزور"),
    ("دير\tالزور", "دير الزور"),
    ("سطر\r\nسطر", "سطر\n\nسطر"),
    ("a\x00b", "a b"),
    # Latin is lower-cased, everything else kept
    ("SDF and YPG", "sdf and ypg"),
    ("ISIS (داعش)", "isis (داعش)"),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_fold(raw, expected):
    assert fold(raw) == expected


def test_spans_map_back_through_deletions_and_expansions():
    text = "قُوّاتُ ﻻ «قسد»"
    norm = normalize(text)
    assert norm.text == 'قوات لا "قسد"'
    word = norm.text.index("قسد")
    start, end = norm.to_original(word, word + 3)
    assert text[start:end] == "قسد"
    assert text[slice(*norm.to_original(0, 4))] == "قُوّاتُ"  # keeps its own diacritics
    assert text[slice(*norm.to_original(5, 7))] == "ﻻ"  # both chars of an expansion map to the ligature
    assert text[slice(*norm.to_original(5, 6))] == "ﻻ"


def test_identity_map_when_nothing_changes_length():
    norm = normalize("دخلت قافلة")
    assert norm.starts is None
    assert norm.to_original(5, 10) == (5, 10)


def test_from_original_covers_span():
    text = "الحسكةُ والرقةُ"
    norm = normalize(text)
    nstart, nend = norm.from_original(8, len(text))
    assert norm.text[nstart:nend] == "والرقه"


arabic_heavy = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ") + list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")
        + list("ﻻﷲﺍﻟ٠١٢٣٤٥٦٧٨٩“”«»،؛؟ \n\u200f\ufeffABCxyz0123.,")
    ),
    max_size=200,
)
any_text = st.one_of(arabic_heavy, st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_offset_map_is_monotone_and_total(text):
    norm = normalize(text)
    n = len(norm.text)
    spans = [norm.to_original(i, i + 1) for i in range(n)]
    for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
        assert s0 <= s1 and e0 <= e1
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    if n:
        assert norm.to_original(0, n)[1] <= len(text)


@settings(max_examples=300, deadline=None)
@given(any_text, st.data())
def test_spans_round_trip(text, data):
    norm = normalize(text)
    n = len(norm.text)
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    start, end = norm.to_original(i, j)
    assert 0 <= start <= end <= len(text)
    # the original slice normalizes back to (at least) the normalized slice
    assert norm.text[i:j] in normalize(text[start:end]).text


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_every_original_char_is_covered_or_deleted(text):
    norm = normalize(text)
    covered = set()
    for i in range(len(norm.text)):
        start, end = norm.to_original(i, i + 1)
        covered.update(range(start, end))
    for pos, ch in enumerate(text):
        if pos not in covered:
            assert fold(ch) == "", (pos, ch)
