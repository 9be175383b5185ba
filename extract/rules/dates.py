"""Date matcher: every date expression of an article with a sortable ISO value.

Rules (patterns in :mod:`.dates_grammar`, built from ``lexicons/months.tsv``,
``date_words.tsv``, ``day_ordinals.tsv``, ``date_blockers.tsv``) read the normalized text;
each hit becomes a :class:`~.dates_calendar.Reading`, placed on the calendar against
``doc.published`` (:func:`~.dates_calendar.resolve`). Overlapping hits: the longest wins.
Two dates joined by ``حتى``/``إلى``/``-`` (or ``و`` after ``بين``) become one range.

>>> from extract import Pipeline
>>> from extract.normalize import Normalizer
>>> from extract.tokenize import Tokenizer
>>> doc = Pipeline([Normalizer(), Tokenizer(), DateMatcher()])(
...     "فمنذ 23 ديسمبر 2019 وحتى 23 أبريل 2020، ورصد المرصد في 24 مارس الماضي", published="2020-04-24")
>>> [(d.text, d.value, d.range_end) for d in doc.dates]
[('23 ديسمبر 2019 وحتى 23 أبريل 2020', '2019-12-23', '2020-04-23'), ('24 مارس الماضي', '2020-03-24', None)]
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace

import regex

from ..doc import DateMention, Document
from ..registry import register_component
from ..tokenize import lookup_forms
from .dates_calendar import GRANULARITY_RANK, Reading, hijri_if_near, resolve, shift_date
from .dates_grammar import RULE_OPENINGS, WORD_RUN, Lexicon, connector_pattern, date_starts, grammar, lexicon
from .numbers import parse_number

_SPACES = regex.compile(r"\s+")
_SINCE_BEFORE = regex.compile(r"(?<!\p{L})[وف]?منذ\s*$")
_COARSER = {"decade": "year", "hour": "day"}  # granularities a value can have
_AGO_UNITS = {"decade": ("year", 10), "week": ("day", 7), "hour": ("day", 0)}
_TOKEN = regex.compile(r"[^\W\d_]+|\d+|\S")
_CONTEXT_WINDOW = 60
_OPENERS = ",(\n"
_CLOSERS = ",.;:)\n"
_TOMORROW_AFTER = regex.compile(r"(?:\s+\S+){0,3}?\s+[وف]?الغد(?!\w)")  # الغد (the morrow, the future) a few words on
_TOMORROW_WINDOW = 40  # characters after اليوم looked at for it
_RELATIVE_WHAT = frozenset({"ما", "مما", "الذي", "التي"})
_PRESENT_WITH_OBJECT = regex.compile(r"^[نتي]\p{Arabic}{2,}(?:ه|ها|هم)$")  # نعيشه, نشاهده, نشهدها
_QUOTES = "«»\"“”'"
_DASH = regex.compile(r"\s[-–—]\s|ــ")  # a dash between words, as in a byline or dateline
_BYLINE_WORDS = 4  # words at most on a byline or dateline line
_YEARS_STRONG = range(1000, 2200)   # after عام/سنة, with an era, a month or a period part
_YEARS_PAREN = range(1000, 2100)    # alone in parentheses: (1948)
_YEARS_CONTEXT = range(1800, 2100)  # after a date context word: في 2019
_YEARS_BARE = range(1900, 2100)     # anywhere else, unless it counts something
_MAX_RANGE_YEARS = 100
_MAX_DAY = 31
_AFTER_NUMBER = regex.compile(r"\d\s*[/.\-]\s*$")
_CENTURY_PIVOT = 50                 # a two-digit year below it is 20xx, else 19xx


@dataclass(slots=True)
class Hit:
    """A rule match at normalized offsets: its reading and, for ranges, the second end."""

    nstart: int
    nend: int
    rule: str
    reading: Reading
    end: Reading | None = None
    end_days: int = 0        # a weekday pair (ليل الاثنين - الثلاثاء): range end = value + days
    partial: bool = False    # the first end of a range, only kept when the range is found
    needs: str | None = None  # kept only after a date: "day" of its sentence (بعد ثلاثة أيام), "any" (اليوم التالي)


def tokens_before(norm: str, pos: int, n: int) -> list[str]:
    """The last ``n`` tokens of ``norm[:pos]``."""
    return _TOKEN.findall(norm[max(0, pos - _CONTEXT_WINDOW):pos])[-n:]


def ends_with(tokens: list[str], phrases) -> bool:
    """Whether ``tokens`` end with one of ``phrases`` (the last word with clitics peeled)."""
    if tokens and any(stem in phrases for _, stem in lookup_forms(tokens[-1])):
        return True
    return any(" ".join(tokens[-n:]) in phrases for n in (2, 3) if len(tokens) >= n)


class _Context:
    """The text around a match, for the checks that tell a date from a count or a word."""

    def __init__(self, norm: str, match: regex.Match, lex: Lexicon):
        self.norm, self.match, self.lex = norm, match, lex
        self.start, self.end = match.span("date")

    def __getitem__(self, group: str) -> str | None:
        """A group's text; None when it did not match or the rule has no such group."""
        try:
            return self.match.group(group)
        except IndexError:
            return None

    def before(self, n: int = 1) -> list[str]:
        """The ``n`` tokens before the match and its clitics."""
        return tokens_before(self.norm, self.match.start(), n)

    def after(self) -> str:
        """The token right after the match ('' at the end)."""
        found = _TOKEN.search(self.norm, self.end, min(len(self.norm), self.end + _CONTEXT_WINDOW))
        return found.group() if found else ""

    def previous_is(self, kind: str, *, blockers: bool = False) -> bool:
        """Whether the word before (clitics peeled) or the 2-3 words before are of ``kind``."""
        table = self.lex.blockers.get(kind, frozenset()) if blockers else self.lex.kind(kind)
        return ends_with(self.before(3), table)

    def has_context(self) -> bool:
        """A date context word (في, منذ, خلال…) or a month name (يناير ومارس) stands right
        before the date and its clitics (not a clitic alone: باب is not ب + آب); not when the
        date carries a preposition of its own (في باب مؤتمرات: two prepositions do not stack)."""
        if any(c in "بل" for c in self.norm[self.match.start():self.start]):
            return False
        tokens = self.before(1)
        return self.previous_is("context") or bool(tokens) and tokens[-1] in self.lex.months

    def next_counts(self) -> bool:
        """The word after makes a number a count (2000 شاحنة, 1950 عنصرا, (2000) فعالية)."""
        word = self.after()
        if word and word in ")]»\"”":
            found = _TOKEN.findall(self.norm, self.end, min(len(self.norm), self.end + _CONTEXT_WINDOW))
            word = found[1] if len(found) > 1 else ""
        return self.count_noun(word)

    def count_noun(self, word: str) -> bool:
        """A counted noun of ``date_blockers.tsv``, clitics peeled, also in the accusative (عنصرا)."""
        nouns = self.lex.blockers["count_noun"]
        return any(form in nouns or form.rstrip("ا") in nouns for _, form in lookup_forms(word))

    def anchored(self) -> bool:
        """An event noun follows after من/على (``قبل يومين من الهجوم``, ``على الأقل من موعد``)."""
        tokens = _TOKEN.findall(self.norm, self.end, min(len(self.norm), self.end + _CONTEXT_WINDOW))[:5]
        anchors = self.lex.kind("anchor")
        return any(word in ("من", "علي") and nxt in anchors for word, nxt in zip(tokens, tokens[1:]))

    def counts_from_event(self) -> bool:
        """``بعد أسبوع من أعنف قتال``, ``بعد يومين على إبرام``: من/على within two words after."""
        tokens = _TOKEN.findall(self.norm, self.end, min(len(self.norm), self.end + _CONTEXT_WINDOW))[:2]
        return any(word in ("من", "علي") for word in tokens)

    def named(self) -> bool:
        """The match is a name, not a date: a word alone in quotes (``لـ «اليوم»``, a paper) or
        in a byline or dateline (``عبدالرحمن الشهري – عين اليوم``, ``عين اليوم – لندن``: a
        short line with a dash)."""
        if self.norm[self.match.start() - 1:self.match.start()] in _QUOTES and self.norm[self.end:self.end + 1] in _QUOTES:
            return True
        line_start = self.norm.rfind("\n", 0, self.match.start()) + 1
        line_end = self.norm.find("\n", self.end)
        line = self.norm[line_start:None if line_end < 0 else line_end]
        return bool(_DASH.search(line)) and len(WORD_RUN.findall(line)) <= _BYLINE_WORDS

    def per_unit(self) -> bool:
        """``24 ساعة في اليوم``, ``ثلاث مرات في اليوم``, ``20 دولارا في اليوم``: في after a unit
        or a count, a rate."""
        tokens = self.before(2)
        if len(tokens) < 2 or tokens[-1] != "في":
            return False
        word = tokens[-2]
        return word.isdigit() or self.count_noun(word) or any(form in self.lex.kind("unit") for _, form in lookup_forms(word))

    def delimited(self) -> bool:
        """The match stands between punctuation (``أعلنت الوزارة، الأحد، أن``)."""
        head = self.norm[max(0, self.match.start() - _CONTEXT_WINDOW):self.match.start()].rstrip(" ")
        tail = self.norm[self.end:self.end + _CONTEXT_WINDOW].lstrip(" ")
        return head[-1:] in ("", *_OPENERS) and tail[:1] in ("", *_CLOSERS)


def lexicon_key(text: str | None) -> str | None:
    """The lexicon form of matched words: spaces collapsed, ``لل`` read as ل + ``ال``.

    >>> lexicon_key("للسنه  الماضيه")
    'السنه الماضيه'
    """
    if text is None:
        return None
    text = _SPACES.sub(" ", text)
    return "ال" + text[2:] if text.startswith("لل") else text


def _meaning(lex: Lexicon, kinds: tuple[str, ...], form: str | None) -> str | None:
    form = lexicon_key(form)
    return next((lex.kind(k)[form] for k in kinds if form in lex.kind(k)), None)


def _offset(lex: Lexicon, form: str | None) -> int | None:
    meaning = _meaning(lex, ("qualifier", "demonstrative"), form)
    return None if meaning is None else int(meaning)


def _day(ctx: _Context) -> int | None:
    """The day of the month: digits, an ordinal (التاسع, غرة) or, after يوم, a cardinal
    in words (يوم واحد وعشرين مايو)."""
    if ctx["dnum"]:
        return int(ctx["dnum"])
    if ctx["dcard"]:
        number = parse_number(ctx["dcard"]) if ctx["dnoun"] else None
        return number if number and number <= _MAX_DAY else None
    return ctx.lex.ordinals.get(lexicon_key(ctx["dord"])) if ctx["dord"] else None


def _bad_day(ctx: _Context) -> bool:
    """A cardinal in words where a day stands that is not one (not after يوم, or over 31)."""
    return bool(ctx["dcard"]) and _day(ctx) is None


def _part(ctx: _Context) -> str | None:
    return _meaning(ctx.lex, ("period_part", "daypart", "season"), ctx["part"])


def _weekday(ctx: _Context, group: str = "wd") -> int | None:
    meaning = _meaning(ctx.lex, ("weekday",), ctx[group])
    return None if meaning is None else int(meaning)


def _read_numeric(ctx: _Context) -> Hit | None:
    """``23/12/2019``, ``23.12.2019``, ``2019-12-23``, ``( 15 / 1 / 1959 )``, ``5/3/21``: day/month/
    year, read as month/day/year only when the middle number cannot be a month (4/17/1948);
    ``5/2019``: a month; ``في 10/6``, ``يوم 25/12``: a day without a year, after a context word."""
    short = ctx["yy"] or not (ctx["day"] and ctx["year"])
    if short and _AFTER_NUMBER.search(ctx.norm, max(0, ctx.start - _CONTEXT_WINDOW), ctx.start):
        return None  # 10 / ( 1940 ) inside 9 / 10 / 10 / ( 1940 )
    day = int(ctx["day"]) if ctx["day"] else None
    month = int(ctx["mon"])
    year = int(ctx["year"]) if ctx["year"] else _two_digit_year(ctx["yy"])
    if day is not None and month > 12 >= day:
        day, month = month, day
    if not (1 <= month <= 12 and (day is None or 1 <= day <= 31)):
        return None
    if year is None and (not (ctx["dnoun"] or ctx["wd"] or ctx.previous_is("numeric_context")) or ctx.next_counts()):
        return None
    if day is None and (year not in _YEARS_CONTEXT or ctx.previous_is("number_marker", blockers=True)):
        return None
    if year is not None and year not in _YEARS_STRONG:
        return None
    calendar = "hijri" if _meaning(ctx.lex, ("era",), ctx["era"]) == "hijri" else "gregorian"
    reading = Reading("day" if day else "month", year, month, day, calendar=calendar, part=_part(ctx))
    return Hit(ctx.start, ctx.end, "numeric", reading)


def _two_digit_year(text: str | None) -> int | None:
    """``21`` in ``5/3/21`` is 2021, ``98`` is 1998."""
    if text is None:
        return None
    return (2000 if int(text) < _CENTURY_PIVOT else 1900) + int(text)


def _read_calendar(ctx: _Context) -> Hit | None:
    """A month name with its day, year, qualifier (``24 مارس الماضي``) or relative year
    (``مارس من العام الماضي``); a bare month needs a context word (``في مارس``)."""
    lex = ctx.lex
    if _bad_day(ctx) or day_is_a_name(ctx):
        return None
    month = lex.months[lexicon_key(ctx["month"])]
    if ctx["month2"] and lex.months[lexicon_key(ctx["month2"])].number != month.number:
        return None  # يوليو تموز, يوليو/تموز: the second name glosses the first, never another month
    if month.ambiguous and ctx["dsep"]:
        return None  # 1 - صفر: a score
    day, year = _day(ctx), int(ctx["year"]) if ctx["year"] else None
    year_shift = _offset(lex, ctx["yqual"]) if ctx["yqual"] else _offset(lex, ctx["demo"])
    direction = _offset(lex, ctx["qual"])
    if direction is not None and abs(direction) > 1:
        return None
    firm = day or year or direction is not None or year_shift is not None or ctx["mnoun"] or ctx["month2"]
    if month.ambiguous and not (firm or _meaning(lex, ("period_part",), ctx["part"]) or ctx.has_context()):
        return None
    if not (firm or ctx["part"] or ctx["wd"] or ctx.has_context()):
        return None
    if year is not None and year not in _YEARS_STRONG:
        return None
    reading = Reading("day" if day else "month", year, month.number, day, calendar=month.calendar,
                      weekday=_weekday(ctx) if day and month.calendar == "gregorian" else None,
                      direction=direction, part=_part(ctx))
    if year_shift is not None:
        reading.shift, reading.shift_unit = year_shift, "year"
    if ctx["ysame"]:
        reading.same_unit = "year"  # كانون الثاني من العام نفسه: the year of the date before
    fields = ["day"] * bool(day) + ["month"] + ["year"] * bool(year)
    fields += ["relative"] * (direction is not None or year_shift is not None)
    return Hit(ctx.start, ctx.end, "_".join(fields), reading)


def _read_period(ctx: _Context) -> Hit | None:
    """``الشهر الماضي``, ``مطلع العام``, ``هذا الأسبوع``, ``24 الشهر الفائت``."""
    lex = ctx.lex
    unit = _meaning(lex, ("period_noun",), ctx["pnoun"])
    shift = _offset(lex, ctx["qual"]) if ctx["qual"] else _offset(lex, ctx["demo"])
    day = _day(ctx)
    if shift is None and not ctx["part"] or _bad_day(ctx):
        return None
    if day is not None and unit != "month":
        return None
    if unit == "year" and not (ctx["part"] or day or ctx["demo"]) and ctx.previous_is("not_year_before", blockers=True):
        return None
    reading = Reading("day" if day else unit, day=day, shift=shift or 0, shift_unit=unit, part=_part(ctx))
    return Hit(ctx.start, ctx.end, "day_of_relative_month" if day else "relative_period", reading)


def day_is_a_name(ctx: _Context) -> bool:
    """``قوى 14 آذار``, ``حركة 6 أبريل``: a day and month after a name head are a name; with a
    year they are the date (``حركة 6 أبريل 2008``)."""
    return bool(ctx["dnum"] or ctx["dord"]) and not ctx["year"] and ctx.previous_is("name_head", blockers=True)


def _read_year(ctx: _Context) -> Hit | None:
    """``عام 2019``, ``سنة ( 1935 ) م``, ``1441هـ``, ``مطلع 2019``, ``1936 - 1939``, and a bare
    year when it does not count something (``2000 شاحنة``) or follow a number marker."""
    year = int(ctx["year"])
    era = _meaning(ctx.lex, ("era",), ctx["era"])
    if era and len(ctx["era"]) == 1 and ctx.next_counts():
        return None  # 1000 م مربع: metres, not the Gregorian era
    if ctx["ynoun"] or era or ctx["part"]:
        allowed = _YEARS_STRONG
    elif ctx.next_counts() or ctx.previous_is("approx") or ctx.previous_is("number_marker", blockers=True):
        return None
    elif ctx["paren"] is not None:
        allowed = _YEARS_PAREN
    elif ctx.has_context():
        allowed = _YEARS_CONTEXT
    elif _touches_number(ctx):
        return None
    else:
        allowed = _YEARS_BARE
    if year not in allowed and era != "hijri":
        return None
    calendar = "hijri" if era == "hijri" else "gregorian"
    reading = Reading("year", year, calendar=calendar, part=_part(ctx), bare_year=not era)
    end = None
    if ctx["year2"]:
        year2 = int(ctx["year2"])
        if not 0 < year2 - year <= _MAX_RANGE_YEARS:
            return None
        end = Reading("year", year2, calendar=calendar, bare_year=not era)
    return Hit(ctx.start, ctx.end, "year_range" if end else "year", reading, end)


def _touches_number(ctx: _Context) -> bool:
    """A bare number glued to other digits (``+963 2019``, ``3.2019``) is not a year."""
    before = ctx.norm[max(0, ctx.start - 2):ctx.start].strip()
    after = ctx.norm[ctx.end:ctx.end + 2].strip()
    return bool(before and before[-1] in "0123456789.,:/+-") or bool(after and after[0] in "0123456789")


def _read_today(ctx: _Context) -> Hit | None:
    """``أمس``, ``صباح اليوم``, ``اليوم الخميس``, ``يوم غد`` — not ``اليوم التالي``/``ذلك اليوم``."""
    lex = ctx.lex
    word = lexicon_key(ctx["today"])
    led = ctx["part"] or ctx["dnoun"] or ctx["wd"]
    note = lex.notes["today"][word]
    if note == "lead" and not led or note == "word" and not (led or ctx.after() in _CLOSERS):
        return None
    if not ctx["wd"] and ctx.after() in lex.blockers["not_today_after"]:
        return None
    if not led and (ctx["demo"] or ctx.previous_is("not_today_before", blockers=True)):
        return None  # (في مثل) هذا اليوم, ذلك اليوم: that day, not today
    if not led and (ctx.named() or ctx.per_unit()):
        return None  # «اليوم», عين اليوم – لندن: a paper or a site; 24 ساعة في اليوم: a rate
    if not led and word == "اليوم" and _nowadays(ctx):
        return Hit(ctx.start, ctx.end, "today", Reading("day", vague=True))
    reading = Reading("day", shift=int(lex.kind("today")[word]), shift_unit="day",
                      weekday=_weekday(ctx), part=_part(ctx))
    return Hit(ctx.start, ctx.end, "today", reading)


def _nowadays(ctx: _Context) -> bool:
    """``اليوم`` meaning "nowadays", no day: after a pronoun subject (``إننا اليوم``, ``كم من
    بيننا اليوم``), before a pronoun copula or a plural relative (``بغداد اليوم هي``, ``نجوم
    الغناء اليوم الذين``), set against الغد (``اليوم قبل الغد``), or after what one lives or
    sees (``ما نعيشه اليوم``, ``الفوضى التي نشهدها اليوم``: a relative and a present verb with
    its object pronoun)."""
    before = ctx.before(2)
    if ctx.previous_is("nowadays_before", blockers=True) or ctx.after() in ctx.lex.blockers["nowadays_after"]:
        return True
    if _TOMORROW_AFTER.match(ctx.norm, ctx.end, ctx.end + _TOMORROW_WINDOW):
        return True  # اليوم قبل الغد, فاليوم عدن والغد صنعاء: today against the future
    return len(before) == 2 and before[0].removeprefix("و") in _RELATIVE_WHAT and bool(_PRESENT_WITH_OBJECT.match(before[1]))


def _read_weekday(ctx: _Context) -> Hit | None:
    """``يوم الخميس``, ``مساء الثلاثاء``, ``الخميس الماضي``, ``ليل الاثنين - الثلاثاء``, or a
    weekday between commas; not ``صلاة الجمعة``."""
    if ctx["wdi"]:  # ذات يوم جمعة: some Friday (not كل يوم جمعة, every Friday)
        if ctx.previous_is("frequency", blockers=True):
            return None
        return Hit(ctx.start, ctx.end, "weekday", Reading("day", vague=True))
    weekday, second = _weekday(ctx), _weekday(ctx, "wd2")
    direction = _offset(ctx.lex, ctx["qual"])
    if direction is not None and abs(direction) > 1:
        return None
    if not (ctx["part"] or ctx["dnoun"] or direction is not None or second or ctx.has_context() or ctx.delimited()):
        return None
    reading = Reading("day", weekday=weekday, direction=direction, part=_part(ctx))
    return Hit(ctx.start, ctx.end, "weekday", reading, end_days=(second - weekday) % 7 if second else 0)


def _read_week_day(ctx: _Context) -> Hit | None:
    """``يوم الجمعة من الأسبوع الماضي``, ``الأسبوع المقبل يوم الجمعة``, ``هذا الأسبوع الجمعة``:
    that weekday of that week."""
    shift = _offset(ctx.lex, ctx["qual"]) if ctx["qual"] else _offset(ctx.lex, ctx["demo"])
    if shift is None or abs(shift) > 1:
        return None
    reading = Reading("day", weekday=_weekday(ctx), shift=shift, shift_unit="week")
    return Hit(ctx.start, ctx.end, "weekday_of_week", reading)


def _read_nth_weekday(ctx: _Context) -> Hit | None:
    """``أول يوم جمعة من يوليو``, ``آخر خميس من الشهر الجاري``, ``الأحد الأول من الشهر المقبل``:
    the nth (last) such weekday of that month."""
    lex = ctx.lex
    weekday = int(_meaning(lex, ("weekday", "weekday_indefinite"), ctx["wd"]))
    nth = int(_meaning(lex, ("nth",), ctx["nth"]))
    direction = _offset(lex, ctx["qual"])
    if direction is not None and abs(direction) > 1:
        return None
    if ctx["pnoun"]:
        shift = direction if direction is not None else _offset(lex, ctx["demo"])
        if shift is None:
            return None
        reading = Reading("day", weekday=weekday, nth=nth, shift=shift, shift_unit="month")
    else:
        month = lex.months[lexicon_key(ctx["month"])]
        if month.calendar != "gregorian":
            return None
        reading = Reading("day", int(ctx["year"]) if ctx["year"] else None, month.number,
                          weekday=weekday, nth=nth, direction=direction)
    return Hit(ctx.start, ctx.end, "nth_weekday", reading)


def _read_ago(ctx: _Context) -> Hit | None:
    """``قبل 3 أيام``, ``قبل ثلاثة أيام``, ``منذ عامين`` (a point in the past); ``قبل أيام``
    is kept with no value; ``قبل يومين من الهجوم`` counts from an event: no value either."""
    lex = ctx.lex
    unit = _meaning(lex, ("unit",), ctx["unit"])
    count = lex.notes["unit"][lexicon_key(ctx["unit"])]
    number = parse_number(ctx["num"]) if ctx["num"] else None
    if ctx["num"] and (number is None or count == "2"):
        return None
    if count == "1" and number is None and _starts_date(ctx.after(), lex):
        return None  # قبل شهر رمضان, منذ عام 2011: the unit word belongs to a date
    n = 2 if count == "2" else number or (1 if count == "1" and not ctx["some"] else None)
    sign = int(_meaning(lex, ("ago",), ctx["ago"]))
    anchor = _meaning(lex, ("ago_anchor",), ctx["anchor"])
    # قبل عقدين: 20 years back; قبل أسبوع: the day 7 days back (not the Monday of that week)
    unit, factor = _AGO_UNITS.get(unit, (unit, 1))
    shift = sign * (n or 0) * factor
    if anchor == "then" or sign > 0 and anchor is None:
        # بعد يومين من ذلك, بعد ثلاثة أيام: from the date before; بعد 67 شهرا from nothing named
        if n is None or ctx.anchored() or anchor is None and (unit != "day" or ctx.counts_from_event()
                                                               or ctx.previous_is("unit")):  # يوما بعد يوم
            return None
        reading = Reading(unit, shift=shift, shift_unit=unit, same_unit=unit)
        return Hit(ctx.start, ctx.end, "after", reading, needs="day" if anchor is None else None)
    reading = Reading(unit, shift=shift, shift_unit=unit, vague=n is None or ctx.anchored())
    return Hit(ctx.start, ctx.end, "ago", reading)


def _starts_date(word: str, lex: Lexicon) -> bool:
    return (word[:1].isdigit() or word in lex.months or word in lex.kind("weekday")
            or word in lex.kind("qualifier") or word in lex.ordinals)


def _read_recent(ctx: _Context) -> Hit:
    """``الأيام الماضية``, ``السنوات الأخيرة``: vague, no value; with a count (``الشهرين
    الماضيين``, ``الأشهر الثلاثة الماضية``) the range of the N whole units before publication's
    (after it: ``الأسابيع الثلاثة المقبلة``)."""
    lex = ctx.lex
    unit = _meaning(lex, ("recent",), ctx["recent"])
    dual = lex.notes["recent"][lexicon_key(ctx["recent"])] == "2"
    n = 2 if dual and not ctx["rnum"] else parse_number(ctx["rnum"].removeprefix("ال")) if ctx["rnum"] else None
    if not n or unit not in GRANULARITY_RANK or unit == "decade":
        return Hit(ctx.start, ctx.end, "recent", Reading(_COARSER.get(unit, unit), vague=True))
    first, last = (-n, -1) if int(_meaning(lex, ("recent_qualifier",), ctx["rqual"])) < 0 else (1, n)
    return Hit(ctx.start, ctx.end, "recent_range", Reading(unit, shift=first, shift_unit=unit),
               Reading(unit, shift=last, shift_unit=unit))


def _read_decade(ctx: _Context) -> Hit:
    """``الستينيات``, ``أواخر الثمانينات``: the first year of the decade."""
    year = int(_meaning(ctx.lex, ("decade",), ctx["decade"]))
    return Hit(ctx.start, ctx.end, "decade", Reading("decade", year, part=_part(ctx)))


def _read_same(ctx: _Context) -> Hit:
    """``اليوم ذاته``, ``الثامن من الشهر ذاته``, ``العام نفسه``, ``اليوم التالي``: the day, month or
    year of the date mentioned before it, or the one after (before) it (placed by :class:`DateMatcher`)."""
    unit = _meaning(ctx.lex, ("same_noun",), ctx["snoun"])
    day = _day(ctx)
    shift = int(_meaning(ctx.lex, ("next",), ctx["next"])) if ctx["next"] else None
    if shift is not None and day or _bad_day(ctx):
        return None
    reading = Reading("day" if day else unit, day=day, same_unit=unit, shift=shift,
                      shift_unit=unit if shift else None)
    return Hit(ctx.start, ctx.end, "same", reading, needs="any" if shift else None)


def _read_partial(ctx: _Context) -> Hit | None:
    """The first end of ``5 و9 مارس`` / ``يناير ومارس 2019``, completed by the second."""
    if _bad_day(ctx):
        return None
    if ctx["month"]:
        month = ctx.lex.months[lexicon_key(ctx["month"])]
        reading = Reading("month", month=month.number, calendar=month.calendar)
    else:
        reading = Reading("day", day=_day(ctx))
    return Hit(ctx.start, ctx.end, "partial", reading, partial=True)


_READERS: dict[str, Callable[[_Context], Hit | None]] = {
    "numeric": _read_numeric,
    "calendar": _read_calendar,
    "period": _read_period,
    "year": _read_year,
    "today": _read_today,
    "weekday": _read_weekday,
    "week_day": _read_week_day,
    "nth_weekday": _read_nth_weekday,
    "ago": _read_ago,
    "recent": _read_recent,
    "decade": _read_decade,
    "same": _read_same,
    "partial": _read_partial,
}


def find_dates(norm: str, *, timeout: float = 1.0) -> list[Hit]:
    """Date hits in normalized text, not overlapping (longest first), sorted by start.

    A rule that exceeds ``timeout`` seconds on pathological input is skipped, not fatal.
    """
    lex = lexicon()
    candidates: list[tuple[int, Hit]] = []
    starts = date_starts(norm)
    for priority, (name, pattern) in enumerate(grammar().items()):
        openings = RULE_OPENINGS[name]
        try:
            for start, kinds in starts:
                if not kinds & openings:
                    continue
                match = pattern.match(norm, start, timeout=timeout)
                hit = _READERS[name](_Context(norm, match, lex)) if match else None
                if hit is not None:
                    candidates.append((priority, hit))
        except TimeoutError:
            continue
    candidates.sort(key=lambda c: (c[1].nstart - c[1].nend, c[1].nstart, c[0]))
    taken: list[Hit] = []  # sorted by start, never overlapping
    for _, hit in candidates:
        i = bisect_left(taken, hit.nstart, key=lambda t: t.nstart)
        if (i == 0 or taken[i - 1].nend <= hit.nstart) and (i == len(taken) or hit.nend <= taken[i].nstart):
            taken.insert(i, hit)
    return taken


def join_ranges(hits: list[Hit], norm: str) -> list[Hit]:
    """Join ``A حتى B``, ``A - B``, ``بين A و B`` into one range hit; ``A و B`` without بين
    is a list: a partial A is completed by B and kept on its own."""
    opener, pairs = lexicon().kind("range_open"), lexicon().kind("pair")
    out: list[Hit] = []
    i = 0
    while i < len(hits):
        first = hits[i]
        second = hits[i + 1] if i + 1 < len(hits) else None
        joint = connector_pattern().fullmatch(norm, first.nend, second.nstart) if second else None
        if joint and not second.partial and first.end is None and not second.reading.same_unit:
            reading = first.reading.inherit(second.reading)
            pair = norm[first.nstart:first.nend].split(maxsplit=1)[0] in pairs  # شهري تموز وآب
            if joint["to"] or pair or ends_with(tokens_before(norm, first.nstart, 2), opener):
                out.append(Hit(first.nstart, second.nend, "range", reading, second.end or second.reading))
                i += 2
                continue
            if first.partial:
                out.append(Hit(first.nstart, first.nend, "list_item", reading))
                i += 1
                continue
        if not first.partial:
            out.append(first)
        i += 1
    return out


_DAY_BEFORE = regex.compile(r"(?:\bيومي\s+)?\b(\d{1,2})\s*و\s*$")


def day_pairs(hits: list[Hit], norm: str) -> list[Hit]:
    """``يومي 29 و30 كانون الثاني``, ``في 8 و9 آذار``: the day before a full date and و make one
    two-day range with it (two days apart, ``في 5 و9 مارس``, stay a list of two dates)."""
    out: list[Hit] = []
    for hit in hits:
        r = hit.reading
        before = _DAY_BEFORE.search(norm, max(0, hit.nstart - 16), hit.nstart)
        if before and hit.end is None and r.granularity == "day" and r.day and int(before[1]) == r.day - 1:
            out = [h for h in out if h.nend <= before.start()]  # the first day read as a list item
            out.append(Hit(before.start(), hit.nend, "range", replace(r, day=int(before[1])), r))
        else:
            out.append(hit)
    return out


_CLAUSE_START = regex.compile(r"[.!?\n؟,;«»\"][^.!?\n؟,;«»\"]*$")
_MIN_FUTURE_VERB = 4  # سيتم: the prefix and a 2-letter stem at least
_TENSE_WINDOW = 12    # tokens before a date where its clause's tense is looked for
_TENSE_CUES = ("tense", "today")  # kinds whose non-zero meaning is a time direction


def _future_verb(word: str, lex: Lexicon) -> bool:
    """``سيصل``, ``وستقام``: a word opened by the future particle سـ, not listed as ``not_future``."""
    blocked = lex.blockers.get("not_future", frozenset())
    for _, form in lookup_forms(word):
        if len(form) >= _MIN_FUTURE_VERB and form[:2] in lex.kind("future_prefix"):
            return not (form in blocked or any(len(b) >= 4 and form.startswith(b) for b in blocked))
    return False


def _tense_cue(word: str, lex: Lexicon) -> int | None:
    """The time direction a word gives its clause: 1 (سوف, من المقرر, غدا, a سـ verb), -1 (كان,
    قد, أمس), None for no cue."""
    for kind in _TENSE_CUES:
        meaning = next((lex.kind(kind)[f] for _, f in lookup_forms(word) if f in lex.kind(kind)), None)
        if meaning and int(meaning):
            return 1 if int(meaning) > 0 else -1
    return 1 if _future_verb(word, lex) else None


def clause_tense(norm: str, pos: int) -> int | None:
    """The tense of the clause before ``pos``: 1 future (the nearest time cue before it in its
    clause is a future word or a سـ verb not right after كان), -1 past (a past word, أمس, or
    after منذ), None when no cue says."""
    lex = lexicon()
    head = norm[max(0, pos - 4 * _CONTEXT_WINDOW):pos]
    boundary = _CLAUSE_START.search(head)
    words = _TOKEN.findall(head[boundary.start() + 1:] if boundary else head)[-_TENSE_WINDOW:]
    if _SINCE_BEFORE.search(head):
        return -1  # منذ 29 يونيو: a start in the past
    for i in range(len(words) - 1, -1, -1):
        cue = _tense_cue(words[i], lex)
        if cue is not None:
            return 1 if cue > 0 and -1 not in [_tense_cue(w, lex) for w in words[max(0, i - 2):i]] else -1  # كان من المقرر
    return None


def set_tense(hits: list[Hit], norm: str) -> None:
    """Mark the readings that the clause's tense places (no year, no qualifier, no shift)."""
    for hit in hits:
        for reading in (hit.reading, hit.end):
            if (reading is not None and reading.year is None and reading.direction is None
                    and reading.shift_unit is None and not reading.same_unit):
                reading.tense = clause_tense(norm, hit.nstart)


_PART_MONTHS = {"first_half": (1, 6), "second_half": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}
_WIDTH = {"day": 10, "month": 7, "year": 4}  # ISO text length of a value at a granularity


def from_previous(reading: Reading, before: DateMention) -> str | None:
    """The value of ``اليوم ذاته`` (``الشهر ذاته``, ``العام نفسه``) after the date ``before``: its
    day, month or year, with the day of ``الثامن من الشهر ذاته`` or the month (and day) of ``أيار
    من العام ذاته``, moved by the reading's shift
    (``اليوم التالي``, ``بعد يومين من ذلك``); None when ``before`` is coarser."""
    width = _WIDTH.get(reading.same_unit)
    value = before.value
    if width is None or value is None or GRANULARITY_RANK[before.granularity] > GRANULARITY_RANK[reading.same_unit]:
        return None
    if reading.month is not None and width == 4:  # أيار من العام ذاته
        return f"{value[:4]}-{reading.month:02d}" + (f"-{reading.day:02d}" if reading.day else "")
    if reading.day is not None:
        return f"{value[:7]}-{reading.day:02d}" if width == 7 else None
    if not reading.shift:
        return value[:width]
    start = dt.date.fromisoformat((value[:width] + "-01-01")[:10])
    return shift_date(start, reading.shift_unit, reading.shift).isoformat()[:width]


def _has_antecedent(needs: str, antecedent: DateMention | None, mention: DateMention) -> bool:
    """Whether an anaphoric date has the date it counts from: any date before it, or for
    ``needs == "day"`` a day in its own sentence."""
    if antecedent is None:
        return False
    return needs == "any" or antecedent.sentence == mention.sentence and antecedent.granularity == "day"


_OPENING_WORD = regex.compile(r"[«“\"]\s*\p{L}+\s*$")
_CLOSING = regex.compile(r"^\s*[»”\"]")


def _ends_quoted_title(text: str, start: int, end: int) -> bool:
    """A date word that closes a quoted two-word title (``«روسيا اليوم»``)."""
    return bool(_OPENING_WORD.search(text[max(0, start - 40):start]) and _CLOSING.match(text[end:end + 3]))


_BRACKET_BETWEEN = regex.compile(r"\s*[(\[]\s*")


def _weekdays_named_by_dates(doc: Document) -> None:
    """A weekday with the date it names in brackets right after it takes that date: ``يوم الأحد
    (10 شوال 1436هـ) الموافق (26 يوليو 2015م)`` is 26 July, wherever publication falls."""
    for weekday, date in zip(doc.dates, doc.dates[1:]):
        if (weekday.extractor == "dates:weekday" and weekday.value and date.granularity == "day" and date.value
                and _BRACKET_BETWEEN.fullmatch(doc.text, weekday.end, date.start)
                and dt.date.fromisoformat(weekday.value).isoweekday() == dt.date.fromisoformat(date.value).isoweekday()):
            weekday.value = date.value


@register_component("dates", requires=("doc.sentences",), assigns=("doc.dates",))
class DateMatcher:
    """Pipeline stage: fills ``doc.dates`` with :class:`~extract.doc.DateMention` items."""

    name = "dates"

    def __init__(self, timeout: float = 1.0):
        self.timeout = timeout

    def __call__(self, doc: Document) -> Document:
        hits = day_pairs(join_ranges(find_dates(doc.norm_text, timeout=self.timeout), doc.norm_text), doc.norm_text)
        set_tense(hits, doc.norm_text)
        doc.dates = []
        antecedent: DateMention | None = None  # the date a later اليوم ذاته refers to
        for hit in hits:
            mention = self._mention(doc, hit)
            if hit.needs and not _has_antecedent(hit.needs, antecedent, mention):
                continue
            if mention.relative and _ends_quoted_title(doc.text, mention.start, mention.end):
                continue  # «روسيا اليوم», لـ"عين اليوم": the name of an outlet
            if hit.reading.same_unit and antecedent is not None:
                mention.value = from_previous(hit.reading, antecedent)
            if not _SINCE_BEFORE.search(doc.norm_text, max(0, hit.nstart - 8), hit.nstart):
                antecedent = mention  # "مغلق منذ الأول من نيسان 2015": a start point, not the report's date
            doc.dates.append(mention)
        _weekdays_named_by_dates(doc)
        return doc

    @staticmethod
    def _mention(doc: Document, hit: Hit) -> DateMention:
        start, end = doc.original_span(hit.nstart, hit.nend)
        reading = hijri_if_near(hit.reading, doc.published)
        placed = resolve(reading, doc.published)
        range_end, granularity, value = placed.range_end, reading.granularity, placed.value
        if reading.part in _PART_MONTHS and granularity == "year" and value and hit.end is None:
            first, last = _PART_MONTHS[reading.part]  # النصف الثاني من العام 2015: 2015-07 … 2015-12
            value, range_end, granularity = f"{value[:4]}-{first:02d}", f"{value[:4]}-{last:02d}", "month"
        if hit.end is not None:
            closing = resolve(hijri_if_near(hit.end, doc.published), doc.published)
            range_end = closing.range_end or closing.value
            if hit.end.part in _PART_MONTHS and hit.end.granularity == "year" and range_end:
                range_end = f"{range_end[:4]}-{_PART_MONTHS[hit.end.part][1]:02d}"  # … والربع الأول من 2015: to 2015-03
        elif hit.end_days and placed.value:
            range_end = (dt.date.fromisoformat(placed.value) + dt.timedelta(days=hit.end_days)).isoformat()
        return DateMention(
            text=doc.text[start:end], start=start, end=end, sentence=doc.sentence_index(start),
            extractor=f"dates:{hit.rule}", value=value, canonical=placed.canonical,
            granularity=granularity, relative=reading.relative, range_end=range_end,
            calendar=reading.calendar, part=reading.part,
        )
