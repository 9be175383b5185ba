"""Human-readable labels shared by tables, plots and HTML views: English names from the
lexicons, convoy sizes that never read an unknown size as 0, date granularity."""

from __future__ import annotations

from functools import cache

LAYER_KIND = {"actors": "actor", "places": "place", "crossings": "crossing"}


@cache
def english_names() -> dict[tuple[str, str], str]:
    """``(kind, id) → name_en`` of every lexicon entry (actor, place, crossing)."""
    from .rules.lexicon import load_lexicons

    return {(e.kind, e.id): e.name_en for e in load_lexicons().entries if e.name_en}


def english_name(layer: str, canonical: str | None) -> str | None:
    """English name of a slot or mention id in ``layer`` (actors, places, crossings), or None.

    >>> english_name("crossings", "bab_al_hawa")
    'Bab al-Hawa crossing'
    """
    if not canonical or layer not in LAYER_KIND:
        return None
    return english_names().get((LAYER_KIND[layer], canonical))


def size_label(size_min: int | None, size_max: int | None, approximate: bool = False) -> str:
    """A convoy size as text: ``"?"`` when unknown, ``"101+"`` for an open maximum.

    >>> [size_label(None, None), size_label(101, None, True), size_label(20, 30), size_label(5, 5)]
    ['?', '~101+', '20–30', '5']
    """
    if size_min is None and size_max is None:
        return "?"
    prefix = "~" if approximate else ""
    if size_max is None:
        return f"{prefix}{size_min}+"
    if size_min is None or size_min == size_max:
        return f"{prefix}{size_max}"
    return f"{prefix}{size_min}–{size_max}"


def granularity(date: str | None) -> str | None:
    """``day``, ``month`` or ``year`` from an ISO date's length.

    >>> [granularity("2020-04-24"), granularity("2020-04"), granularity("2020"), granularity(None)]
    ['day', 'month', 'year', None]
    """
    if not date:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(date))
