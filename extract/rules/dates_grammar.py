"""The date grammar: lexicons (months, date words, day ordinals, blockers) and the regular
expressions built from them, compiled once per process.

Every rule pattern runs on normalized text (:func:`extract.normalize.fold` forms) and has a
group ``date`` (the span to report; a leading clitic و/ف/ب/ل stays outside it) plus named
groups for the parts it read. ``(?<!\\w)`` anchors rules at word starts; every repetition
is bounded by literal words, so the patterns cannot backtrack catastrophically.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import regex

from ..doc import Token
from ..lexicons import read_tsv
from ..normalize import fold
from .numbers import NUMBER, NUMBER_WORDS


@dataclass(frozen=True, slots=True)
class Month:
    """A month name: its number, calendar and whether it is also a common word."""

    number: int
    calendar: str
    ambiguous: bool


@dataclass(frozen=True)
class Lexicon:
    """The date lexicons, keyed by normalized form."""

    months: dict[str, Month]
    ordinals: dict[str, int]
    words: dict[str, dict[str, str]]   # kind -> form -> meaning
    notes: dict[str, dict[str, str]]   # kind -> form -> note
    blockers: dict[str, frozenset[str]]

    def kind(self, kind: str) -> dict[str, str]:
        """Forms of one kind of date word with their meanings."""
        return self.words.get(kind, {})


@cache
def lexicon() -> Lexicon:
    """The date lexicons from ``extract/lexicons`` (read once)."""
    months = {fold(r["form"]): Month(int(r["month"]), r["calendar"], r["ambiguous"] == "word")
              for r in read_tsv("months.tsv")}
    ordinals = {fold(r["word"]): int(r["day"]) for r in read_tsv("day_ordinals.tsv")}
    words: dict[str, dict[str, str]] = defaultdict(dict)
    notes: dict[str, dict[str, str]] = defaultdict(dict)
    for r in read_tsv("date_words.tsv"):
        words[r["kind"]][fold(r["word"])] = r["meaning"]
        notes[r["kind"]][fold(r["word"])] = r["note"]
    blockers: dict[str, set[str]] = defaultdict(set)
    for r in read_tsv("date_blockers.tsv"):
        blockers[r["kind"]].add(fold(r["word"]))
    blockers["count_noun"] |= set(words["unit"]) | set(words["approx"])
    return Lexicon(months, ordinals, dict(words), dict(notes),
                   {k: frozenset(v) for k, v in blockers.items()})


def alternation(forms) -> str:
    """A non-capturing group matching any of ``forms`` (longest first, spaces flexible; an
    article ال also matches fused with the preposition ل: للعام = ل + العام).

    >>> alternation(["امس", "اول امس", "العام"])
    '(?:(?:ال|لل)(?:عام)|اول\\\\s+امس|امس)'
    """
    def source(options) -> str:
        ordered = sorted(set(options), key=lambda f: (-len(f), f))
        return "|".join(regex.escape(f).replace("\\ ", "\\s+") for f in ordered)

    with_article = [f[2:] for f in forms if f.startswith("ال") and len(f) > 2]
    others = [f for f in forms if not (f.startswith("ال") and len(f) > 2)]
    fused = [f"(?:ال|لل)(?:{source(with_article)})"] if with_article else []
    return "(?:" + "|".join(fused + ([source(others)] if others else [])) + ")"


# A rule starts at a word start; a conjunction and/or preposition clitic stays outside `date`.
START = r"(?<!\w)(?:[وف](?=\w))?(?:[بل](?=\w))?"
DAY_NUMBER = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
YEAR_NUMBER = r"\d{4}(?!\d)"


def _grammar_sources(lex: Lexicon) -> dict[str, str]:
    """Pattern source of every rule, by rule name."""
    w = {kind: alternation(forms) for kind, forms in lex.words.items()}
    month = alternation(lex.months)
    ordinal = alternation(lex.ordinals)
    end = r"(?!\w)"
    day = rf"(?:(?:ال\s?)?(?P<dnum>{DAY_NUMBER})|(?P<dord>{ordinal}){end}|(?P<dcard>{NUMBER_WORDS}){end})"
    any_day = rf"(?:(?:ال\s?)?{DAY_NUMBER}|{ordinal}{end})"
    era = rf"(?:\s*(?P<era>{w['era']}){end})?"
    weekday_lead = (rf"(?:(?:(?P<dnoun>{w['day_noun']}|{w['today']})|(?P<part>{w['daypart']}))\s+)?"
                    rf"(?:(?P<wd>{w['weekday']})(?:\s*,\s*|\s+(?:{w['apposition']}\s+)?))?")
    months = (rf"(?P<month>{month}){end}"
              rf"(?:\s*/\s*(?P<month2>{month}){end}|\s*\(\s*(?P<month2>{month})\s*\)|\s+(?P<month2>{month}){end})?")
    year_paren = rf"(?:\((?P<paren>)\s*(?P<year>{YEAR_NUMBER})\s*\)|(?P<year>{YEAR_NUMBER}))"
    year_pnoun = alternation(f for f, unit in lex.kind("period_noun").items() if unit == "year")
    month_pnoun = alternation(f for f, unit in lex.kind("period_noun").items() if unit == "month")
    week_pnoun = alternation(f for f, unit in lex.kind("period_noun").items() if unit == "week")
    week = rf"(?:(?P<demo>{w['demonstrative']})\s+)?(?P<pnoun>{week_pnoun})(?:\s+(?P<qual>{w['qualifier']}))?{end}"
    weekday = rf"(?:(?P<dnoun>{w['day_noun']})\s+)?(?P<wd>{w['weekday']}){end}"
    any_weekday = rf"(?:(?P<dnoun>{w['day_noun']})\s+)?(?P<wd>{w['weekday']}|{w['weekday_indefinite']}){end}"
    month_ref = (rf"(?:(?:(?P<mnoun>{w['month_noun']})\s+)?(?P<month>{month}){end}"
                 rf"(?:\s+(?:(?P<qual>{w['qualifier']}){end}|(?P<year>{YEAR_NUMBER})))?"
                 rf"|(?:(?P<demo>{w['demonstrative']})\s+)?(?P<pnoun>{month_pnoun})(?:\s+(?P<qual>{w['qualifier']}))?{end})")
    month_tail = (
        rf"(?:(?:\s*/\s*|\s*,?\s*)(?:من\s+)?(?:ل?(?P<ynoun>{w['year_noun']})\s*)?{year_paren}{era}"
        rf"|\s+(?:من\s+)?(?:(?P<demo>{w['demonstrative']})\s+{year_pnoun}"
        rf"(?:\s+(?P<yqual>{w['qualifier']}))?|{year_pnoun}\s+(?P<yqual>{w['qualifier']})"
        rf"|{year_pnoun}\s+(?P<ysame>{w['same']})){end}"
        rf"|\s+(?P<qual>{w['qualifier']}){end})?")
    connector = rf"(?:-|{w['range_to']}{end}|{w['range_and']})"
    numeric_dmy = rf"(?P<day>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<mon>\d{{1,2}})\s*(?P=sep)\s*{year_paren}"
    # the shorter layouts end a run of numbers (not 9 / 10 / 10 / ( 1940 )); the reader checks its start
    ends = r"(?!\w|\s*[/.\-]\s*[\d(])"
    numeric_dmyy = (rf"(?P<day>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<mon>\d{{1,2}})\s*(?P=sep)\s*"
                    rf"(?P<yy>\d{{2}}){ends}")
    numeric_my = rf"(?P<mon>\d{{1,2}})\s*/\s*(?P<year>\d{{4}}){ends}"
    numeric_dm = rf"(?P<day>\d{{1,2}})\s*(?P<sep>[/\-])\s*(?P<mon>\d{{1,2}}){ends}"
    numeric_ymd = (rf"(?P<year>{YEAR_NUMBER})\s*(?P<sep>[/.\-])\s*(?P<mon>\d{{1,2}})\s*(?P=sep)\s*"
                   r"(?P<day>\d{1,2})(?!\d)")
    numeric = f"(?:{numeric_dmy}|{numeric_ymd}|{numeric_dmyy}|{numeric_my}|{numeric_dm})"
    return {
        "numeric": (rf"{START}(?P<date>{weekday_lead}(?:(?P<mnoun>{w['month_noun']})\s+)?"
                    rf"(?:(?:(?P<mhead>{month}){end}\s*)?\(\s*{numeric}\s*\)"
                    rf"|{numeric}){era})"),
        "calendar": (rf"{START}(?P<date>{weekday_lead}"
                     rf"(?:(?P<part>{w['period_part']}|{w['daypart']})\s+)?"
                     rf"(?:{day}(?:\s*/\s*|\s*(?P<dsep>[.\-])\s*|\s+(?:من\s+)?))?(?:(?P<mnoun>{w['month_noun']})\s+)?"
                     rf"{months}{month_tail})"),
        "week_day": rf"{START}(?P<date>{weekday}\s+من\s+{week}|{week}\s+{weekday})",
        "nth_weekday": (rf"{START}(?P<date>(?:(?P<nth>{w['nth']})\s+{any_weekday}|{weekday}\s+(?P<nth>{w['nth']}))"
                        rf"\s+من\s+{month_ref})"),
        "period": (rf"{START}(?P<date>(?:(?P<part>{w['period_part']}|{w['season']})\s+)?"
                   rf"(?:{day}\s+(?:من\s+)?)?(?:(?P<demo>{w['demonstrative']})\s+)?"
                   rf"(?P<pnoun>{w['period_noun']})(?:\s+(?P<qual>{w['qualifier']}))?{end})"),
        "year": (rf"{START}(?P<date>(?:(?P<part>{w['period_part']}|{w['season']})\s+)?"
                 rf"(?:(?P<ynoun>{w['year_noun']})\s*)?"
                 rf"(?:\((?P<paren>)\s*(?P<year>{YEAR_NUMBER})(?:\s*[-/]\s*(?P<year2>{YEAR_NUMBER}))?"
                 rf"{era}\s*\)|(?P<year>{YEAR_NUMBER})(?:\s*[-/]\s*(?P<year2>{YEAR_NUMBER}))?){era})"),
        "today": (rf"{START}(?P<date>(?:(?P<part>{w['daypart']})\s+|(?P<dnoun>{w['day_noun']})\s+)?"
                  rf"(?:(?P<demo>{w['demonstrative']})\s+)?(?P<today>{w['today']}){end}"
                  rf"(?:\s*,?\s*(?P<wd>{w['weekday']}){end}|\s*\(\s*(?P<wd>{w['weekday']})\s*\))?)"),
        "weekday": (rf"{START}(?P<date>(?P<dnoun>{w['day_noun']})\s+(?P<wdi>{w['weekday_indefinite']}){end}"
                    rf"|(?:(?P<part>{w['daypart']})\s+|(?P<dnoun>{w['day_noun']})\s+)?"
                    rf"(?P<wd>{w['weekday']}){end}(?:\s*[-/]\s*(?P<wd2>{w['weekday']}){end})?"
                    rf"(?:\s+(?P<qual>{w['qualifier']}){end})?)"),
        "ago": (rf"{START}(?P<date>(?P<ago>{w['ago']})\s+(?:{w['approx']}\s+)?"
                rf"(?:(?P<num>{NUMBER})\s+|(?P<some>{w['some']})\s+)?(?P<unit>{w['unit']}){end}"
                rf"(?:\s+(?P<anchor>{w['ago_anchor']}){end})?)"),
        "recent": (rf"{START}(?P<date>(?P<recent>{w['recent']})(?:\s+(?P<rnum>\w+))?"
                   rf"(?:\s+{w['few']})?\s+(?P<rqual>{w['recent_qualifier']}){end})"),
        "decade": rf"{START}(?P<date>(?:(?P<part>{w['period_part']})\s+)?(?P<decade>{w['decade']}){end})",
        "same": (rf"{START}(?P<date>(?:{day}\s+(?:من\s+)?)?(?P<snoun>{w['same_noun']})\s+"
                 rf"(?:(?P<same>{w['same']})|(?P<next>{w['next']})){end})"),
        "partial": (rf"{START}(?P<date>{day}(?=\s*{connector}\s*{any_day}(?:\s*/\s*|\s+(?:من\s+)?)"
                    rf"(?:(?:{w['month_noun']}\s+)?{month}|(?:{w['demonstrative']}\s+)?{month_pnoun}){end})"
                    rf"|(?P<month>{month}){end}(?=\s*{connector}\s*{month}{end}))"),
    }


@cache
def grammar() -> dict[str, regex.Pattern]:
    """The compiled rule patterns, by rule name, in priority order (compiled once)."""
    return {name: regex.compile(source) for name, source in _grammar_sources(lexicon()).items()}


# Kinds whose words can open a date expression (with months and day ordinals).
_OPENING_KINDS = ("today", "daypart", "period_part", "season", "weekday", "period_noun", "year_noun",
                  "month_noun", "day_noun", "demonstrative", "ago", "recent", "decade", "same_noun", "nth")
# What each rule can begin with: "number" (a digit, or ال + a digit), "(" (a bracket), "month",
# "ordinal" (a day ordinal) or a kind of date word; read off the rule patterns above.
RULE_OPENINGS: dict[str, frozenset[str]] = {
    "numeric": frozenset({"number", "(", "month", "day_noun", "today", "weekday", "daypart", "month_noun"}),
    "calendar": frozenset({"number", "ordinal", "month", "month_noun", "day_noun", "today", "weekday",
                           "period_part", "daypart"}),
    "period": frozenset({"number", "ordinal", "period_part", "season", "demonstrative", "period_noun"}),
    "year": frozenset({"number", "(", "period_part", "season", "year_noun"}),
    "today": frozenset({"daypart", "day_noun", "demonstrative", "today"}),
    "weekday": frozenset({"daypart", "day_noun", "weekday"}),
    "week_day": frozenset({"day_noun", "weekday", "demonstrative", "period_noun"}),
    "nth_weekday": frozenset({"nth", "day_noun", "weekday"}),
    "ago": frozenset({"ago"}),
    "recent": frozenset({"recent"}),
    "decade": frozenset({"period_part", "decade"}),
    "partial": frozenset({"number", "ordinal", "month"}),
    "same": frozenset({"number", "ordinal", "same_noun"}),
}


@cache
def opening_words() -> dict[str, frozenset[str]]:
    """Whole words that open a rule → the kinds of opening they are: first words of the months,
    ordinals and relative-word forms, with the article also fused with ل (العام → للعام),
    each also after و/ف and ب/ل."""
    lex = lexicon()
    kinds: dict[str, set[str]] = defaultdict(set)
    openings: list[tuple[str, Iterable[str]]] = [("month", lex.months), ("ordinal", lex.ordinals),
                                                 *((k, lex.kind(k)) for k in _OPENING_KINDS)]
    for kind, forms in openings:
        for form in forms:
            first = form.split()[0]
            kinds[first].add(kind)
            if first.startswith("ال"):
                kinds["لل" + first[2:]].add(kind)
    out: dict[str, set[str]] = defaultdict(set)
    for word, found in kinds.items():
        for clitics in ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"):
            out[clitics + word] |= found
    return {word: frozenset(found) for word, found in out.items()}


WORD_RUN = regex.compile(r"\w+")  # a run of word characters (also read by dates.py)
_NUMBER_START = regex.compile(r"(?<!\w)(?:[وف]?[بل]?(?:ال\s?)?\d|(?P<paren>\())")
_NUMBER, _PAREN = frozenset({"number"}), frozenset({"("})


def date_starts(norm: str) -> list[tuple[int, frozenset[str]]]:
    """Word starts where a date may begin, with what opens there: a word that opens a rule, a
    number (``ال`` + number too) or a bracket, each after an optional و/ف and ب/ل. Only the rules
    that can begin so run there, which keeps the matcher fast.

    >>> [(at, sorted(kinds)) for at, kinds in date_starts("وفي ال14 من ابريل 2020")]
    [(4, ['number']), (12, ['month']), (18, ['number'])]
    """
    words = opening_words()
    starts: dict[int, frozenset[str]] = {}
    for run in WORD_RUN.finditer(norm):
        kinds = words.get(run.group())
        if kinds:
            starts[run.start()] = kinds
    for match in _NUMBER_START.finditer(norm):
        kinds = _PAREN if match["paren"] else _NUMBER
        starts[match.start()] = starts.get(match.start(), frozenset()) | kinds
    return sorted(starts.items())


def _opens_relative_date(tokens: list[Token], j: int) -> bool:
    """``tokens[j]`` is a period noun a relative qualifier follows in its sentence (``العام`` of
    ``العام الماضي``), so no name around it takes it in as an adjective (``الأمن العام`` does)."""
    words = lexicon().words
    return j + 1 < len(tokens) and tokens[j].norm in words["period_noun"] \
        and tokens[j + 1].sentence == tokens[j].sentence and tokens[j + 1].norm in words["qualifier"] | words["next"]


def before_relative_date(tokens: list[Token], name: list[Token]) -> list[Token]:
    """The words of a name (``tokens`` are the document's) without the period nouns at its end
    that open a relative date (``مجلس الشورى`` of ``مجلس الشورى العام الماضي``); its first word
    stays."""
    while len(name) > 1 and _opens_relative_date(tokens, name[-1].index):
        name = name[:-1]
    return name


@cache
def connector_pattern() -> regex.Pattern:
    """What may stand between the two ends of a range (``-``, ``وحتى``, ``إلى``, ``و``)."""
    w = lexicon().words
    return regex.compile(rf"\s*(?:(?P<to>-|{alternation(w['range_to'])})|(?P<and>{alternation(w['range_and'])}))\s*")
