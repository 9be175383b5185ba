"""Convoy timeline: one marker per convoy event (x: date, y: size, colour: crossing or actor)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

COLOUR_BY = ("crossing", "actor")


def convoy_timeline(events: pd.DataFrame, to: str | Path, colour_by: str = "crossing",
                    title: str = "Convoy events") -> Path:
    """Draw the events table (from :func:`extract.export.to_frames`) as a PNG/SVG/PDF at ``to``.

    A convoy with a size range is a vertical bar from ``size_min`` to ``size_max`` (an
    arrow when the top is open); events without a date are left out and counted in the title;
    events without a size sit on the x axis as hollow markers.
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {COLOUR_BY}, not {colour_by!r}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dated = events.assign(when=pd.to_datetime(events["date"], errors="coerce", format="mixed"))
    undated = int(dated["when"].isna().sum())
    dated = dated.dropna(subset=["when"])
    groups = dated[colour_by].fillna("unknown")
    figure, axes = plt.subplots(figsize=(10, 5), dpi=100)
    for name in sorted(groups.unique()):
        rows = dated[groups == name]
        low = rows["size_min"].astype("Float64")
        high = rows["size_max"].astype("Float64")
        sized = low.notna()
        line = axes.scatter(rows["when"][sized], low[sized], label=name, zorder=3)
        colour = line.get_facecolor()[0]
        for when, lo, hi in zip(rows["when"][sized], low[sized], high[sized]):
            if pd.isna(hi):
                axes.annotate("", xy=(when, lo * 1.5 + 1), xytext=(when, lo), arrowprops={"arrowstyle": "->", "color": colour})
            elif hi > lo:
                axes.vlines(when, lo, hi, colors=[colour], linewidth=2)
        axes.scatter(rows["when"][~sized], [0] * int((~sized).sum()), facecolors="none", edgecolors=[colour], zorder=3)
    axes.set_xlabel("date")
    axes.set_ylabel("vehicles (size_min; bar to size_max)")
    suffix = f" ({undated} undated event(s) not shown)" if undated else ""
    axes.set_title(title + suffix)
    if len(dated):
        axes.legend(title=colour_by, fontsize="small")
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(to, bbox_inches="tight")
    plt.close(figure)
    return to
