"""Word-start patterns: tried only where a phrase can begin, they must find exactly what the
plain regex scan finds — on text built from the lexicons' own phrases, clitics and noise."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.events import _all_cues, _cue_patterns
from extract.lexicons import read_tsv
from extract.normalize import fold
from extract.rules.convoys import _member_cue
from extract.rules.numbers import _scanners
from extract.rules.wordstarts import WordStartPattern, any_of, opening_runs


def _scanned() -> dict[str, WordStartPattern]:
    found = {f"events:{role}": p for role, p in _cue_patterns().items()}
    found["events:all_cues"] = _all_cues()[0]
    found["convoys:member"] = _member_cue()
    found["numbers:numeric"], found["numbers:vague"] = _scanners()
    return found


SCANNED = _scanned()
# The phrases these patterns are built from, as the lexicons spell them.
PHRASES = sorted({fold(row[column]) for name, column in [("event_words.tsv", "phrase"), ("convoy_words.tsv", "phrase"),
                                                         ("vehicles.tsv", "form"), ("numbers.tsv", "word"),
                                                         ("quantity_words.tsv", "phrase")]
                  for row in read_tsv(name)})
CLITICS = ["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "ال", "وال", "بال", "لل", "ولل", "ك", "x", "5", "\""]
AFTER = ["", " 30 شاحنه", "ة", "5", "،", " من"]


def test_every_scanned_pattern_has_a_start_filter():
    # a phrase starting with a non-letter would silently turn the filter off
    assert all(p.openers for p in SCANNED.values())


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_each_phrase_after_each_clitic_is_found_as_the_full_scan_finds_it(name):
    scanner = SCANNED[name]
    for phrase in PHRASES:
        for clitic in CLITICS:
            for after in AFTER:
                text = f"قال {clitic}{phrase}{after}"
                expected = [m.span() for m in scanner.pattern.finditer(text)]
                assert [m.span() for m in scanner.finditer(text)] == expected, text


@pytest.mark.parametrize("name", sorted(SCANNED))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mixtures_in_a_window_are_found_as_the_full_scan_finds_them(name, data):
    scanner = SCANNED[name]
    pieces = data.draw(st.lists(st.tuples(st.sampled_from(CLITICS), st.sampled_from(PHRASES),
                                          st.sampled_from([" ", "  ", "\n", "", "، "])), max_size=6))
    text = "".join(a + w + b for a, w, b in pieces)
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    assert [m.span() for m in scanner.finditer(text, pos, endpos)] \
        == [m.span() for m in scanner.pattern.finditer(text, pos, endpos)]
    first, got = scanner.pattern.search(text, pos, endpos), scanner.search(text, pos, endpos)
    assert (got.span() if got else None) == (first.span() if first else None)


def test_opening_runs_spell_each_clitic_before_each_first_word():
    assert opening_runs(["عدد من", "نحو"], clitics=("", "و")) == {"عدد", "نحو", "وعدد", "ونحو"}
    assert opening_runs(["-", "نحو"]) is None
    assert any_of(frozenset({"a"}), None) is None
    assert any_of(frozenset({"a"}), frozenset({"b"})) == {"a", "b"}


def test_digits_open_only_when_asked():
    pattern = regex.compile(r"(?<![\p{L}\d])\d+")
    assert [m.group() for m in WordStartPattern(pattern, frozenset(), digits=True).finditer("في 30 و40 x5 و 7")] \
        == ["30", "7"]
    assert list(WordStartPattern(pattern, frozenset()).finditer("في 30")) == []


def test_without_openers_the_pattern_scans_everywhere():
    pattern = regex.compile(r"-\d")
    assert [m.group() for m in WordStartPattern(pattern, None).finditer("a -1 b -2")] == ["-1", "-2"]
