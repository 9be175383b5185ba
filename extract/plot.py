"""Convoy timeline: one marker per convoy event (x: date, y: size on a log scale, colour: crossing
or actor by English name); unknown sizes in a band of their own, never at zero."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

COLOUR_BY = ("crossing", "actor")
TOP = 8


def _periods(events: pd.DataFrame) -> pd.DataFrame:
    """``start``/``stop`` timestamps: a day, the whole month or year of a coarser date, or a range."""
    date = events["date"].astype("string")
    end = events["date_end"].astype("string") if "date_end" in events else pd.Series(pd.NA, index=events.index, dtype="string")
    start = pd.to_datetime(date, errors="coerce", format="mixed")
    last = end.fillna(date)
    stop = pd.to_datetime(last, errors="coerce", format="mixed")
    length = last.str.len()
    stop = stop.where(length != 7, stop + pd.offsets.MonthEnd(0)).where(length != 4, stop + pd.offsets.YearEnd(0))
    return events.assign(start=start, stop=stop)


def _groups(events: pd.DataFrame, colour_by: str) -> pd.Series:
    """English name of each event's crossing or actor (id when no name), the rarest as ``other``."""
    names = events[f"{colour_by}_en"] if f"{colour_by}_en" in events else events[colour_by]
    names = names.astype("string").fillna("(none)")
    common = names.value_counts().index[:TOP]
    return names.where(names.isin(common), "other")


def convoy_timeline(events: pd.DataFrame, to: str | Path, colour_by: str = "crossing",
                    title: str = "Convoy events") -> Path:
    """Draw the events table (from :func:`extract.export.to_frames`) as a PNG/SVG/PDF at ``to``.

    Sizes are on a log scale so that one convoy of hundreds does not flatten the rest; a size
    range is a vertical bar, an open maximum a triangle; a month, a year or a date range is a
    horizontal bar; events of unknown size sit in a lower band; undated events are counted in
    the title.
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {COLOUR_BY}, not {colour_by!r}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    dated = _periods(events).dropna(subset=["start"])
    undated = len(events) - len(dated)
    groups = _groups(dated, colour_by) if len(dated) else pd.Series(dtype="string")
    figure, (axes, unknown) = plt.subplots(2, 1, figsize=(10, 6), dpi=100, sharex=True,
                                           gridspec_kw={"height_ratios": [5, 1]})
    colours = plt.get_cmap("tab10")
    handles = []
    for i, name in enumerate(sorted(groups.unique())):
        rows = dated[groups == name]
        colour = colours(i % 10)
        low = rows["size_min"].astype("Float64")
        high = rows["size_max"].astype("Float64")
        level = low.fillna(high)
        sized = level.notna()
        middle = rows["start"] + (rows["stop"] - rows["start"]) / 2
        long = rows["stop"] > rows["start"]
        for target, y, mask in ((axes, level, sized), (unknown, pd.Series(1.0, index=rows.index), ~sized)):
            spans = mask & long
            target.hlines(y[spans].astype(float), rows["start"][spans], rows["stop"][spans], colors=[colour], linewidth=3, alpha=0.45)
        closed = sized & high.notna()
        axes.vlines(middle[closed & (high > low)], low[closed & (high > low)].astype(float),
                    high[closed & (high > low)].astype(float), colors=[colour], linewidth=2)
        axes.scatter(middle[closed], level[closed].astype(float), color=colour, zorder=3)
        axes.scatter(middle[sized & high.isna()], level[sized & high.isna()].astype(float), marker="^", color=colour, zorder=3)
        unknown.scatter(middle[~sized], [1.0] * int((~sized).sum()), facecolors="none", edgecolors=[colour], zorder=3)
        handles.append(Line2D([], [], color=colour, marker="o", linestyle="", label=name))
    axes.set_yscale("log")
    axes.set_ylabel("vehicles (log scale)")
    unknown.set_yticks([])
    unknown.set_ylabel("size\nunknown", rotation=0, ha="right", va="center")
    unknown.set_xlabel("date")
    grey = "#555"
    markers = [Line2D([], [], color=grey, marker="o", linestyle="", label="size known"),
               Line2D([], [], color=grey, marker="^", linestyle="", label="at least (open maximum)"),
               Line2D([], [], color=grey, linestyle="-", linewidth=2, label="size range (min–max)"),
               Line2D([], [], color=grey, linestyle="-", linewidth=3, alpha=0.45, label="month, year or date range"),
               Line2D([], [], color=grey, marker="o", markerfacecolor="none", linestyle="", label="size unknown")]
    first = axes.legend(handles=handles, title=colour_by, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.add_artist(first)
    second = axes.legend(handles=markers, title="markers", fontsize="small", loc="lower left", bbox_to_anchor=(1.01, 0))
    suffix = f" ({undated} undated event(s) not shown)" if undated else ""
    axes.set_title(title + suffix)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(to, bbox_inches="tight", bbox_extra_artists=[first, second])
    plt.close(figure)
    return to
