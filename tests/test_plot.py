"""The convoy timeline renders real images from event tables and from `extract plot`."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.export import to_frames
from extract.plot import _periods, convoy_timeline
from tests.test_export import make_doc, output_folder

PNG = b"\x89PNG\r\n\x1a\n"


def events_table():
    rows = [
        {"date": "2020-04-23", "size_min": 101, "size_max": None, "crossing": "al_walid_iraq", "actor": "coalition"},
        {"date": "2020-03-24", "size_min": None, "size_max": None, "crossing": "semalka", "actor": "coalition"},
        {"date": "2020-02", "size_min": 200, "size_max": 999, "crossing": None, "actor": "coalition"},
        {"date": None, "size_min": 30, "size_max": 30, "crossing": "kafr_lusin", "actor": "turkish_army"},
    ]
    return pd.DataFrame(rows).astype({"size_min": "Int64", "size_max": "Int64", "date": "string"})


@pytest.mark.parametrize("colour_by", ["crossing", "actor"])
def test_timeline_png(tmp_path, colour_by):
    path = convoy_timeline(events_table(), tmp_path / "t.png", colour_by=colour_by)
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000


def test_legend_has_english_names_and_explains_the_markers(tmp_path):
    import matplotlib

    events = to_frames([make_doc()]).events
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        svg = convoy_timeline(events, tmp_path / "t.svg").read_text(encoding="utf-8")
    assert "Al-Walid crossing (Hasakah – Kurdistan Region)" in svg and "al_walid_iraq" not in svg
    for marker in ("size known", "at least (open maximum)", "size range (min–max)", "size unknown", "vehicles (log scale)"):
        assert marker in svg, marker


def test_periods_cover_whole_months_years_and_ranges():
    table = events_table().assign(date_end=pd.Series([None, "2020-04-02", None, None], dtype="string"))
    periods = _periods(table)
    assert [str(d.date()) if pd.notna(d) else None for d in periods["stop"]] == [
        "2020-04-23", "2020-04-02", "2020-02-29", None]
    assert str(periods["start"][2].date()) == "2020-02-01"


def test_unknown_colour_is_refused(tmp_path):
    with pytest.raises(ValueError, match="colour_by"):
        convoy_timeline(events_table(), tmp_path / "t.png", colour_by="vehicle")


def test_plot_cli(tmp_path):
    out = output_folder(tmp_path)
    result = CliRunner().invoke(app, ["plot", str(out), "--kind", "convoys", "--to", str(tmp_path / "c.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.png").read_bytes().startswith(PNG)
    assert "1 event(s)" in result.output
    assert len(to_frames([make_doc()]).events) == 1
