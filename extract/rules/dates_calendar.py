"""Placing a date reading on the calendar: ISO values from explicit fields, publication-relative
shifts and Hijri dates (converted with ``hijridate``, Umm al-Qura, 1343–1500 AH).

A :class:`Reading` is what an expression says (``24 مارس الماضي`` = day 24, month 3, the latest
one before publication); :func:`resolve` turns it into ISO text against the publication date.

>>> resolve(Reading("day", month=3, day=24, direction=-1), dt.date(2020, 4, 24)).value
'2020-03-24'
>>> resolve(Reading("week", shift=-1, shift_unit="week"), dt.date(2020, 4, 24)).value
'2020-04-13'
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from hijridate import Gregorian, Hijri

GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}
# A weekday named with أمس/اليوم/غدا that disagrees with publication is the nearest such day from
# 5 days before to 1 after: a text is written before it is published, seldom after.
_WEEKDAY_DRIFT_BACK = 5
NEAR_AHEAD = 60  # days: a date without year, qualifier or tense this close ahead is read ahead
HIJRI_NEAR = 15  # years: a bare year this close to publication's Hijri year is Hijri
_HIJRI_ERA_MAX_YEAR = 1600  # a larger year beside a Hijri month is a Gregorian year (رمضان 2020)


@dataclass(slots=True)
class Reading:
    """What a date expression says, before it is placed on the calendar.

    ``shift``/``shift_unit``: the expression is ``shift`` units (day/week/month/year) from
    publication (أمس = -1 day, العام الماضي = -1 year); explicit fields override the shifted date's.
    ``direction``: where a date without a year lies: -1 latest before publication (الماضي),
    0 in the publication's year (الجاري), 1 first after it (المقبل), None latest not after it.
    ``vague``: a date that cannot be placed (قبل أيام).
    ``tense``: the clause's tense, for a date without a year or qualifier: 1 future (سـ, سوف, من
    المقرر) places it at the first one not before publication, -1 past (كان, قد, منذ) at the latest
    one not after it, None (no cue) too, unless the next one is at most ``NEAR_AHEAD`` away.
    """

    granularity: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    calendar: str = "gregorian"
    shift: int | None = None
    shift_unit: str | None = None
    direction: int | None = None
    part: str | None = None
    vague: bool = False
    same_unit: str | None = None  # اليوم ذاته: the day (month, year) of the date before
    nth: int | None = None        # أول يوم جمعة من يوليو: the nth (-1: last) ``weekday`` of the month
    tense: int | None = None
    bare_year: bool = False  # a year with no era mark: Hijri when near publication's (``hijri_if_near``)

    @property
    def forward(self) -> bool:
        """Whether the clause is in the future."""
        return self.tense == 1

    @property
    def relative(self) -> bool:
        """Whether placing it needs the publication date."""
        return (self.vague or self.shift_unit is not None or self.year is None)

    def inherit(self, other: Reading) -> Reading:
        """The first end of a range completed by the second (``5 و9 مارس 2020`` → 5 March 2020)."""
        if self.year is not None or self.shift_unit is not None:
            return self
        calendar = self.calendar if self.month is not None else other.calendar  # غرة شوال حتى اليوم: Hijri still
        filled = replace(self, calendar=calendar, year=other.year, shift=other.shift,
                         shift_unit=other.shift_unit, direction=other.direction, tense=other.tense)
        if filled.month is None and other.month is not None:
            filled.month = other.month
        if filled.year is not None and filled.month is not None and other.month is not None and filled.month > other.month:
            filled.year -= 1  # ديسمبر إلى مارس 2020: December 2019
        return filled


@dataclass(frozen=True, slots=True)
class Placed:
    """A resolved reading: ISO ``value``, an own ``range_end`` (Hijri months and years span
    Gregorian days) and the Hijri date as written (``canonical``)."""

    value: str | None
    range_end: str | None = None
    canonical: str | None = None


def shift_date(day: dt.date, unit: str, n: int) -> dt.date:
    """``day`` moved by ``n`` units; month and year moves clamp the day (31 March - 1 month = 29 Feb).

    >>> shift_date(dt.date(2020, 3, 31), "month", -1)
    datetime.date(2020, 2, 29)
    """
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    months = n * 12 if unit == "year" else n
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week (the value convention for week granularity)."""
    return day - dt.timedelta(days=day.weekday())


def iso(year: int, month: int | None, day: int | None, granularity: str) -> str | None:
    """ISO text at ``granularity``: ``YYYY-MM-DD``/``YYYY-MM``/``YYYY``; None for an impossible day."""
    if granularity in ("year", "decade") or month is None:
        return f"{year:04d}"
    if granularity == "month" or day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _fits(year: int, month: int, day: int | None) -> bool:
    return day is None or day <= calendar.monthrange(year, month)[1]


def hijri_if_near(reading: Reading, published: dt.date | None) -> Reading:
    """A year written without an era mark within ``HIJRI_NEAR`` years of the publication's Hijri
    year is a Hijri year (``عام 1430`` in a 2015 paper is 1430 AH; ``عام 1453`` is not).

    >>> hijri_if_near(Reading("year", 1430, bare_year=True), dt.date(2015, 7, 25)).calendar
    'hijri'
    """
    if not (reading.bare_year and reading.year and published and reading.calendar == "gregorian"):
        return reading
    now = Gregorian(published.year, published.month, published.day).to_hijri().year
    return replace(reading, calendar="hijri") if abs(reading.year - now) <= HIJRI_NEAR else reading


def infer_year(month: int, day: int | None, direction: int | None,
               ref: tuple[int, int, int], tense: int | None = -1) -> int | None:
    """The year of ``day month`` (day may be None) seen from ``ref`` = (year, month, day);
    without a direction the latest not after ``ref``, or the first not before it in a future
    clause (``tense`` 1) or, when no tense is known (None), when that one is at most
    ``NEAR_AHEAD`` days (months: ``NEAR_AHEAD // 30``) ahead: a news report names a day weeks
    ahead (the transfer window closes on 31 August) far more often than the same day ten months
    back without "الماضي"; None when no nearby year has that day (29 February).

    >>> infer_year(4, 14, None, (2020, 4, 24)), infer_year(3, None, -1, (2020, 3, 10))
    (2020, 2019)
    >>> infer_year(8, 31, None, (2015, 7, 25), tense=None), infer_year(8, 31, None, (2015, 7, 25))
    (2015, 2014)
    """
    if direction == 0:
        return ref[0]
    ref_key = ref if day is not None else ref[:2]
    years = [y for y in (ref[0] - 1, ref[0], ref[0] + 1) if _fits(y, month, day)]
    keyed = [(y, (y, month, day) if day is not None else (y, month)) for y in years]
    if direction == 1:
        return min((y for y, key in keyed if key > ref_key), default=None)
    if direction == -1:
        return max((y for y, key in keyed if key < ref_key), default=None)
    ahead = min((y for y, key in keyed if key >= ref_key), default=None)
    if tense == 1 or tense is None and ahead is not None and _days_ahead(ahead, month, day, ref) <= NEAR_AHEAD:
        return ahead
    return max((y for y, key in keyed if key <= ref_key), default=None)


def _days_ahead(year: int, month: int, day: int | None, ref: tuple[int, int, int]) -> int:
    """Days (30 to a month, Gregorian or Hijri alike) from ``ref`` to ``day month year``; for a
    month alone, whole months counted as 30 days."""
    if day is None:
        return ((year - ref[0]) * 12 + month - ref[1]) * 30
    return (year - ref[0]) * 360 + (month - ref[1]) * 30 + day - ref[2]


def year_of_weekday(month: int, day: int, weekday: int, published: dt.date) -> int | None:
    """The year, around publication, in which ``day month`` falls on ``weekday`` (the nearest
    if several): ``الأحد 26 نيسان`` published 24 April 2020 is 26 April 2020, a Sunday.

    >>> year_of_weekday(4, 26, 7, dt.date(2020, 4, 24))
    2020
    """
    years = [y for y in range(published.year - 1, published.year + 2)
             if _fits(y, month, day) and dt.date(y, month, day).isoweekday() == weekday]
    return min(years, key=lambda y: abs(dt.date(y, month, day) - published), default=None)


def nearest_weekday(weekday: int, direction: int | None, published: dt.date, forward: bool = False) -> dt.date:
    """The ISO ``weekday`` nearest publication: latest not after it (None/0; the first not
    before it when ``forward``), latest before it (-1, الماضي) or first after it (1, المقبل)."""
    back = (published.isoweekday() - weekday) % 7
    if direction == 1:
        return published + dt.timedelta(days=(weekday - published.isoweekday() - 1) % 7 + 1)
    if direction is None and forward:
        return published + dt.timedelta(days=(weekday - published.isoweekday()) % 7)
    if direction == -1 and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def resolve(reading: Reading, published: dt.date | None) -> Placed:
    """Place ``reading`` on the Gregorian calendar; value None when it cannot be placed."""
    if reading.vague or reading.same_unit or (reading.relative and published is None):
        return Placed(None)  # a same-period date is placed by the date before it (DateMatcher)
    if reading.calendar == "hijri":
        return _resolve_hijri(reading, published)
    if reading.nth is not None:
        return Placed(_nth_weekday(reading, published))
    if reading.shift_unit is not None:
        try:
            anchor = shift_date(published, reading.shift_unit, reading.shift)
        except (ValueError, OverflowError):  # منذ 5 آلاف سنة: before year 1, no ISO value
            return Placed(None)
        if reading.granularity == "week":
            return Placed(week_start(anchor).isoformat())
        if reading.shift_unit == "week" and reading.weekday is not None:  # الأسبوع المقبل يوم الجمعة
            return Placed((week_start(anchor) + dt.timedelta(days=reading.weekday - 1)).isoformat())
        if reading.shift_unit == "day" and reading.weekday is not None:  # غدا الثلاثاء: the named day wins
            back = _WEEKDAY_DRIFT_BACK
            anchor += dt.timedelta(days=(reading.weekday - anchor.isoweekday() + back) % 7 - back)
        finest = GRANULARITY_RANK[reading.shift_unit]
        month = reading.month or (anchor.month if finest <= GRANULARITY_RANK["month"] else None)
        day = reading.day or (anchor.day if finest == 0 else None)
        return Placed(iso(reading.year or anchor.year, month, day, reading.granularity))
    if reading.weekday is not None and reading.day is None:
        return Placed(nearest_weekday(reading.weekday, reading.direction, published, reading.forward).isoformat())
    year = reading.year
    if year is None and reading.weekday is not None:
        year = year_of_weekday(reading.month, reading.day, reading.weekday, published)
    if year is None:
        year = infer_year(reading.month, reading.day, reading.direction,
                          (published.year, published.month, published.day), reading.tense)
        if year is None:
            return Placed(None)
    return Placed(iso(year, reading.month, reading.day, reading.granularity))


def _nth_weekday(reading: Reading, published: dt.date) -> str | None:
    """The nth (last, for -1) ``weekday`` of the month the reading names."""
    month = resolve(replace(reading, granularity="month", weekday=None, nth=None), published).value
    if month is None:
        return None
    year, number = int(month[:4]), int(month[5:7])
    days = [d for d in range(1, calendar.monthrange(year, number)[1] + 1)
            if dt.date(year, number, d).isoweekday() == reading.weekday]
    index = reading.nth - 1 if reading.nth > 0 else reading.nth
    return dt.date(year, number, days[index]).isoformat() if -len(days) <= index < len(days) else None


def _hijri_year(reading: Reading, published: dt.date | None) -> int:
    """The Hijri year of a reading: written, taken from a Gregorian year, or inferred."""
    if reading.year is None:
        ref = Gregorian(published.year, published.month, published.day).to_hijri()
        day = min(reading.day, 28) if reading.day and reading.granularity == "day" else None  # 28: fits any month
        return infer_year(reading.month, day, reading.direction, (ref.year, ref.month, ref.day), reading.tense)
    if reading.year > _HIJRI_ERA_MAX_YEAR and reading.month is not None:
        start = Gregorian(reading.year, 1, 1).to_hijri()
        year = start.year if start.month <= reading.month else start.year + 1
        return year if Hijri(year, reading.month, 1).to_gregorian().year == reading.year else year - 1
    return reading.year


def _resolve_hijri(reading: Reading, published: dt.date | None) -> Placed:
    """Gregorian day of a Hijri date, or first and last day of a Hijri month or year."""
    try:
        year = _hijri_year(reading, published)
        if reading.month is None:
            first = Hijri(year, 1, 1)
            last = Hijri(year, 12, Hijri(year, 12, 1).month_length())
            canonical = f"{year:04d}"
        elif reading.day is None or reading.granularity != "day":
            first = Hijri(year, reading.month, 1)
            last = Hijri(year, reading.month, first.month_length())
            canonical = f"{year:04d}-{reading.month:02d}"
        else:
            first = last = Hijri(year, reading.month, reading.day)
            canonical = f"{year:04d}-{reading.month:02d}-{reading.day:02d}"
        value, end = first.to_gregorian().isoformat(), last.to_gregorian().isoformat()
    except (ValueError, OverflowError):
        return Placed(None)
    return Placed(value, end if end != value else None, canonical)
