"""The run report: streamed from records, one self-contained page with honest charts and one
events-table row per convoy event linking to its article's entity view."""

from __future__ import annotations

import json
import re
from collections import Counter

from typer.testing import CliRunner

from extract.cli import app
from extract.report import article_file, crossing_month_table, timeline_svg, write_report
from tests.test_export import make_doc
from tests.test_view import HOSTILE_META, HOSTILE_TEXT


def records(nlp, seed_text):
    """The seed article, the hand-made one and a hostile one, as a generator (the report streams)."""
    yield json.loads(json.dumps(nlp(seed_text, doc_id="seed", published="2020-04-24").to_dict()))
    yield json.loads(json.dumps(make_doc("a1").to_dict()))
    yield json.loads(json.dumps(nlp(HOSTILE_TEXT, **HOSTILE_META).to_dict()))


def table(html: str) -> list[list]:
    """The events table's rows as the page's script reads them from its inline JSON."""
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html).group(1))
    return [[value if i == 1 else data["strings"][value] for i, value in enumerate(row)] for row in data["rows"]]


def test_report_rows_link_to_entity_views(tmp_path, nlp, seed_text):
    index = write_report(records(nlp, seed_text), tmp_path / "rep")
    html = index.read_text(encoding="utf-8")
    rows = table(html)
    assert len(rows) == 3 + 1 + 1
    links = [re.fullmatch(r"(articles/[0-9a-f]{16}\.html)#event-(\d)", row[-1]).groups() for row in rows]
    assert all((tmp_path / "rep" / path).is_file() for path, _ in links)
    assert [n for _, n in links[:3]] == ["0", "1", "2"]
    assert rows[1][:5] == ["2020-04-24", 101, "~101+", "truck", "Al-Walid crossing (Hasakah – Kurdistan Region)"]
    assert rows[2][1:3] == [None, "?"]  # the aid convoy of unknown size is "?" and sorts apart, not as 0
    assert rows[0][-2].startswith("بعد 67 شهرا")
    assert "<b>1</b>size unknown" in html and "<b>3</b>articles" in html


def test_report_is_self_contained_and_escaped(tmp_path, nlp, seed_text):
    html = write_report(records(nlp, seed_text), tmp_path / "rep").read_text(encoding="utf-8")
    assert "default-src &#x27;none&#x27;" in html and html.count("<script>") == 1
    assert not re.search(r'(src|href)="(https?:)?//', html) and "@import" not in html and "url(" not in html
    assert "\\u003cscript\\u003edocument.body.dataset.pwned='title'\\u003c/script\\u003e" in html
    assert table(html)[4][-2] == HOSTILE_META["title"]  # the same text, shown through textContent
    assert '<path class="land"' in html and ">Syria</title>" in html  # Natural Earth outlines
    assert re.search(r'<circle class="crossing"[^>]*><title>Bab al-Hawa crossing: 1 mention', html)
    view = (tmp_path / "rep" / article_file(HOSTILE_META["doc_id"])).read_text(encoding="utf-8")
    assert view.split("<body>")[1].count("<script>") == 1


def test_timeline_keeps_unknown_sizes_apart_and_ranges_as_bars():
    event = {"date_end": "", "vehicle": "truck", "crossing": "", "size": "?"}
    events = [{**event, "date": "2020-04-24", "size_min": 101, "size_max": None},
              {**event, "date": "2020-03", "size_min": None, "size_max": None},
              {**event, "date": "2019-12-23", "date_end": "2020-04-23", "size_min": 200, "size_max": 999},
              {**event, "date": "2020-01-05", "size_min": 3, "size_max": 3},
              {**event, "date": "", "size_min": 5, "size_max": 5}]
    svg = timeline_svg(events)
    axis = float(re.search(r'<line class="axis" x1="60" y1="(\d+)"', svg).group(1))
    unknown = re.search(r'<circle class="unknown" cx="[\d.]+" cy="([\d.]+)"', svg)
    assert unknown and float(unknown.group(1)) > axis  # below the axis, in its own band
    assert svg.count('class="span"') == 2  # the month and the date range
    lowest = max(float(y) for y in re.findall(r'<circle class="known" cx="[\d.]+" cy="([\d.]+)"', svg))
    assert lowest < axis - 30  # 3 vehicles (beside 999) stay well above the axis: log scale
    assert svg.count('class="open"') == 1 and "1 undated event(s) and 0 dated before" in svg


def test_report_cli(tmp_path, nlp, seed_text):
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                for r in records(nlp, seed_text)), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(out), "--to", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rep" / "index.html").is_file() and len(list((tmp_path / "rep" / "articles").iterdir())) == 3


def test_crossing_month_table_puts_stray_years_in_one_column():
    counts = Counter({("Bab al-Hawa crossing", f"2020-{m:02d}"): 2 for m in range(1, 13)})
    counts[("Bab al-Hawa crossing", "1279-03")] = 1  # a misread date
    counts[("Al-Walid crossing", "undated")] = 1
    html = crossing_month_table(counts)
    head = re.findall(r"<th>([^<]*)</th>", html.split("</thead>")[0])
    assert head == ["crossing", *(f"2020-{m:02d}" for m in range(1, 13)), "other dates", "undated", "total"]
    assert "<tr><th>Bab al-Hawa crossing</th>" in html and html.count("1279") == 0
    bab = re.search(r"<tr><th>Bab al-Hawa crossing</th>(.*?)</tr>", html).group(1)
    assert re.findall(r">(\d*)</td>", bab) == ["2"] * 12 + ["1", "", "25"]


def test_report_from_a_run_folder_with_workers_is_the_same_page(tmp_path, nlp, seed_text):
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                for r in records(nlp, seed_text)) * 40, encoding="utf-8")
    pages = [write_report(source, tmp_path / name, workers=workers).read_text(encoding="utf-8")
             for name, source, workers in (("records", records(nlp, seed_text), 1), ("serial", out, 1),
                                           ("parallel", out, 2))]
    assert pages[1] == pages[2] and len(table(pages[2])) == 40 * 5
    assert table(pages[0]) == table(pages[2])[:5]
    views = sorted(p.name for p in (tmp_path / "parallel" / "articles").iterdir())
    assert views == sorted(p.name for p in (tmp_path / "records" / "articles").iterdir()) and len(views) == 3
