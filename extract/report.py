"""Run report: ``extract report OUT --to DIR`` streams ``OUT/articles.jsonl`` once and writes
``DIR/index.html`` (one self-contained page: summary, convoy timeline, crossing × month and
actor counts, a map over Natural Earth outlines, a sortable, filterable events table) and
``DIR/articles/*.html``, the entity view of each article that has events."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import orjson

from .html import esc, page, script_json, visible
from .labels import english_name, size_label
from .view import render

MAP_BOX = (26.0, 12.0, 60.0, 42.0)  # west, south, east, north (degrees)
TOP = 15
STRAY_YEARS = 30  # a date this far from the median year of a run's events is taken as misread
BATCH = 64  # lines of articles.jsonl per worker task

STYLE = """
body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ccc}
.cards span{display:inline-block;margin:0 1.5rem .5rem 0}.cards b{font-size:1.4rem;display:block}
svg text{font-size:11px;fill:#333}
.tl .known{fill:#1d3557}.tl .open{fill:#e76f51}.tl .range{stroke:#1d3557;stroke-width:2}
.tl .span{stroke:#457b9d;stroke-width:3;opacity:.55}.tl .unknown{fill:none;stroke:#888}
.tl .axis{stroke:#999}.tl .band{fill:#f3f3f3}
.map .land{fill:none;stroke:#9aa;stroke-width:.6}.map .sea{fill:#f4f8fb}
.map .place{fill:#2a9d8f;opacity:.7}.map .crossing{fill:#e76f51;opacity:.85}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .4rem}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
.cm tbody th{white-space:nowrap;text-align:left}
.q1{background:#e8f1f8}.q2{background:#c6dbef}.q3{background:#9ecae1}.q4{background:#6baed6}.q5{background:#3182bd;color:#fff}
.bar{fill:#457b9d}
#filter{font-size:1rem;padding:.2rem;width:20rem}
.ar{font-size:.95rem}
"""

# Builds the events table from the page's JSON (text only, through textContent), 500 rows at a
# time; filters on any cell, sorts on a header click (size by number, unknown last). The filter and
# the sort live in the address (#q=…&sort=N&dir=a|d), so a view can be bookmarked or shared.
SCRIPT = """
var D=JSON.parse(document.getElementById('data').textContent),S=D.strings,R=D.rows,
t=document.getElementById('events'),f=document.getElementById('filter'),c=document.getElementById('shown'),
m=document.getElementById('more'),H=Array.prototype.slice.call(t.tHead.rows[0].cells),
C=[0,2,3,4,5,6,7,8,9],order=R.map(function(_,i){return i}),limit=500,sorted=null;
var hay=R.map(function(r){return C.map(function(j){return S[r[j]]}).join(' ').toLowerCase()});
function draw(){var q=f.value.toLowerCase(),v=order.filter(function(i){return hay[i].indexOf(q)>=0}),
b=t.tBodies[0];c.textContent=v.length;b.textContent='';v.slice(0,limit).forEach(function(i){
var r=R[i],tr=document.createElement('tr');tr.className='event';C.forEach(function(j){
var td=document.createElement('td');td.textContent=S[r[j]];if(j===9){td.dir='rtl';td.lang='ar';td.className='ar'}
tr.appendChild(td)});var td=document.createElement('td'),a=document.createElement('a');a.href=S[r[10]];
a.textContent='view';td.appendChild(a);tr.appendChild(td);b.appendChild(tr)});m.hidden=v.length<=limit}
function sortBy(i,d){var k=i===1?1:C[i];order.sort(function(x,y){var p=R[x][k],q=R[y][k];
if(k===1){return d*((p===null?-1:p)-(q===null?-1:q))}return d*S[p].localeCompare(S[q])});
H.forEach(function(h){h.removeAttribute('aria-sort')});H[i].setAttribute('aria-sort',d>0?'ascending':'descending');
sorted=[i,d]}
function save(){var p=new URLSearchParams();if(f.value){p.set('q',f.value)}
if(sorted){p.set('sort',sorted[0]);p.set('dir',sorted[1]>0?'a':'d')}
try{history.replaceState(null,'','#'+p)}catch(e){}}
function load(){var p=new URLSearchParams(location.hash.slice(1)),i=parseInt(p.get('sort'),10);
f.value=p.get('q')||'';if(i>=0&&i<C.length){sortBy(i,p.get('dir')==='d'?-1:1)}limit=500;draw()}
f.addEventListener('input',function(){limit=500;draw();save()});m.addEventListener('click',function(){limit+=500;draw()});
H.slice(0,C.length).forEach(function(h,i){h.addEventListener('click',function(){
sortBy(i,sorted&&sorted[0]===i?-sorted[1]:1);draw();save()})});
addEventListener('hashchange',load);load();
"""


@dataclass
class Tally:
    """What the report needs from the records, gathered while streaming them."""

    articles: int = 0
    with_events: int = 0
    layers: Counter = field(default_factory=Counter)
    events: list[dict] = field(default_factory=list)
    crossing_months: Counter = field(default_factory=Counter)
    actors: Counter = field(default_factory=Counter)
    points: dict[tuple[str, str], list] = field(default_factory=dict)


def article_file(doc_id: str | None) -> str:
    """File name of an article's entity view: a hash of its id (ids may hold any character)."""
    return "articles/" + hashlib.sha1(str(doc_id).encode("utf-8")).hexdigest()[:16] + ".html"


def _name(layer: str, filler: dict | None) -> str:
    if not filler:
        return ""
    return english_name(layer, filler.get("canonical")) or filler.get("text") or ""


def _event_row(record: dict, index: int, event: dict) -> dict:
    return {
        "href": f"{article_file(record.get('doc_id'))}#event-{index}",
        "date": event.get("date") or "", "date_end": event.get("date_end") or "",
        "size_min": event.get("size_min"), "size_max": event.get("size_max"),
        "size": size_label(event.get("size_min"), event.get("size_max"), bool(event.get("approximate"))),
        "vehicle": event.get("vehicle") or "",
        "crossing": _name("crossings", event.get("crossing")), "actor": _name("actors", event.get("actor")),
        "origin": _name("places", event.get("origin")),
        "destinations": ", ".join(_name("places", d) for d in event.get("destinations") or []),
        "direction": event.get("direction") or "", "title": record.get("title") or record.get("doc_id") or "",
    }


def _record_part(record: dict, to_dir: Path) -> tuple[dict, list, list]:
    """What one record adds to the tally (layer counts, points, event rows); writes its entity
    view when it has events."""
    layers = {layer: len(record.get(layer) or []) for layer in ("dates", "actors", "places", "convoys", "crossings", "events")}
    points = [(layer, item["canonical"], item["lat"], item["lon"])
              for layer in ("places", "crossings") for item in record.get(layer) or []
              if item.get("lat") is not None and item.get("lon") is not None and item.get("canonical")]
    rows = [_event_row(record, index, event) for index, event in enumerate(record.get("events") or [])]
    if rows:
        (to_dir / article_file(record.get("doc_id"))).write_text(render(record, standalone=True), encoding="utf-8")
    return layers, points, rows


def _line_parts(lines: list[bytes], to_dir: Path) -> list[tuple[dict, list, list]]:
    """Worker task: parse and render a batch of lines of ``articles.jsonl``."""
    return [_record_part(orjson.loads(line), to_dir) for line in lines]


def _add(tally: Tally, part: tuple[dict, list, list]) -> None:
    layers, points, rows = part
    tally.articles += 1
    tally.layers.update(layers)
    for layer, canonical, lat, lon in points:
        tally.points.setdefault((layer, canonical), [lat, lon, 0])[2] += 1
    tally.with_events += bool(rows)
    for row in rows:
        tally.events.append(row)
        tally.crossing_months[(row["crossing"] or "(none)", row["date"][:7] or "undated")] += 1
        tally.actors[row["actor"] or "(none)"] += 1


def _batches(out_dir: Path) -> Iterator[list[bytes]]:
    with open(out_dir / "articles.jsonl", "rb") as stream:
        lines = (line for line in stream if line.strip())
        while batch := list(itertools.islice(lines, BATCH)):
            yield batch


def _parts(source: str | Path | Iterable[dict], to_dir: Path, workers: int) -> Iterator[tuple[dict, list, list]]:
    """The records' parts in input order: from records in this process, or from the lines of a run
    folder's ``articles.jsonl`` parsed and rendered by ``workers`` processes, a few batches in flight."""
    if not isinstance(source, (str, Path)):
        yield from (_record_part(record, to_dir) for record in source)
    elif workers <= 1:
        for batch in _batches(Path(source)):
            yield from _line_parts(batch, to_dir)
    else:
        with ProcessPoolExecutor(workers) as pool:
            pending: deque = deque()
            for batch in _batches(Path(source)):
                pending.append(pool.submit(_line_parts, batch, to_dir))
                if len(pending) >= 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()


def collect(source: str | Path | Iterable[dict], to_dir: Path, on_progress: Callable[[int], None] | None = None,
            workers: int = 1) -> Tally:
    """Stream the records (or a run folder's lines): tally them and write the entity view of each
    article with events."""
    tally = Tally()
    shutil.rmtree(to_dir / "articles", ignore_errors=True)  # views of an earlier report; rewriting files in place is slow
    (to_dir / "articles").mkdir(parents=True)
    for part in _parts(source, to_dir, workers):
        _add(tally, part)
        if on_progress and tally.articles % 500 == 0:
            on_progress(tally.articles)
    return tally


def _day(date: str, last: bool = False) -> dt.date | None:
    """First (or last) day of an ISO day, month or year."""
    try:
        if len(date) == 10:
            return dt.date.fromisoformat(date)
        year, month = int(date[:4]), int(date[5:7]) if len(date) == 7 else (12 if last else 1)
        if not last:
            return dt.date(year, month, 1)
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    except ValueError:
        return None


def usual_range(isos: list[str]) -> tuple[str, str]:
    """The first and last of some ISO dates once those more than ``STRAY_YEARS`` from the median
    year and the lowest and highest 1 % are left out: a stray year (1279 from a misread date,
    2099) must not stretch an axis over centuries."""
    ordered = sorted(isos)
    median = int(ordered[len(ordered) // 2][:4])
    near = [iso for iso in ordered if abs(int(iso[:4]) - median) <= STRAY_YEARS]
    return near[len(near) // 100], near[-1 - len(near) // 100]


def timeline_svg(events: list[dict], width: int = 1000, height: int = 340) -> str:
    """Convoy timeline: x date (ranges and whole months/years as bars), y size on a log scale,
    unknown sizes in their own band under the axis."""
    dated = [(_day(e["date"]), _day(e["date_end"] or e["date"], last=True), e) for e in events if e["date"]]
    spans = [(a, b, e) for a, b, e in dated if a and b]
    if not spans:
        return "<p>No dated convoy events.</p>"
    low_day, high_day = (dt.date.fromisoformat(d) for d in usual_range([a.isoformat() for a, _, _ in spans]))
    outside = [s for s in spans if s[0] < low_day or s[0] > high_day]
    spans = [(a, min(b, high_day), e) for a, b, e in spans if low_day <= a <= high_day]
    pad = dt.timedelta(days=max((high_day - low_day).days // 40, 3))
    first, last = low_day - pad, max(b for _, b, _ in spans) + pad
    days = (last - first).days
    top = max([e["size_max"] or e["size_min"] or 1 for _, _, e in spans] + [10])
    left, right, plot_h, band = 60, width - 20, height - 90, 30
    x = lambda d: left + (d - first).days / days * (right - left)  # noqa: E731
    y = lambda n: 10 + (1 - math.log10(max(n, 1)) / math.log10(top)) * (plot_h - 10)  # noqa: E731
    out = [f'<rect class="band" x="{left}" y="{plot_h + 10}" width="{right - left}" height="{band}"/>',
           f'<text x="{left - 4}" y="{plot_h + 29}" text-anchor="end">size ?</text>',
           f'<line class="axis" x1="{left}" y1="{plot_h}" x2="{right}" y2="{plot_h}"/>']
    for tick in sorted({*(10 ** p for p in range(int(math.log10(top)) + 1)), top}):
        out.append(f'<text x="{left - 4}" y="{y(tick) + 4:.0f}" text-anchor="end">{tick}</text>'
                   f'<line class="axis" x1="{left}" y1="{y(tick):.1f}" x2="{left + 4}" y2="{y(tick):.1f}"/>')
    step = max(1, (last.year - first.year + 1) // 12)
    for year in range(first.year + 1, last.year + 1, step):
        at = x(dt.date(year, 1, 1))
        out.append(f'<text x="{at:.0f}" y="{plot_h + 56}">{year}</text>')
    marks: dict[tuple[str, str], list] = {}  # one element per shape and place, with how many events it stands for
    for a, b, e in spans:
        x0, x1 = x(a), x(b)
        low, high = e["size_min"], e["size_max"]
        yy = plot_h + 25 if low is None and high is None else y(low or high)
        cx = (x0 + x1) / 2
        shapes = [("line", f'class="span" x1="{x0:.0f}" y1="{yy:.0f}" x2="{x1:.0f}" y2="{yy:.0f}"')] if b > a else []
        if low is None and high is None:
            shapes.append(("circle", f'class="unknown" cx="{cx:.0f}" cy="{yy:.0f}" r="3.5"'))
        elif high is None:
            shapes.append(("path", f'class="open" d="M{cx:.0f},{yy - 5:.0f}l4,7h-8z"'))
        else:
            if low is not None and high > low:
                shapes.append(("line", f'class="range" x1="{cx:.0f}" y1="{y(low):.0f}" x2="{cx:.0f}" y2="{y(high):.0f}"'))
            shapes.append(("circle", f'class="known" cx="{cx:.0f}" cy="{yy:.0f}" r="3"'))
        for shape in shapes:
            marks.setdefault(shape, [0, e])[0] += 1
    for (tag, attributes), (n, e) in marks.items():
        when = e["date"] + (" … " + e["date_end"] if e["date_end"] else "")
        out.append(f"<{tag} {attributes}><title>{n} event(s), e.g. {esc(when)}: {esc(e['size'])} "
                   f"{esc(e['vehicle'])} {esc(e['crossing'])}</title></{tag}>")
    legend = ('<p class="legend">● size known (a line up to the maximum of a range) · '
              '▲ at least this many (open maximum) · ○ size unknown (own band, not zero) · '
              '— a date range or a whole month/year · y: vehicles, log scale · '
              f'{len(events) - len(spans) - len(outside)} undated event(s) and {len(outside)} dated before '
              f'{low_day} or after {high_day} (the first and last 1 %, or over {STRAY_YEARS} years from the '
              'median) not drawn</p>')
    return (f'<svg class="tl" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="convoy timeline">{"".join(out)}</svg>{legend}')


def _quantile_class(count: int, most: int) -> str:
    return f"q{min(5, 1 + int(4 * count / most))}" if count else ""


def crossing_month_table(counts: Counter) -> str:
    """Events per crossing (rows, the busiest first) and month (columns; years when over 24
    months), months outside the usual range (``usual_range``) in one "other dates" column."""
    if not counts:
        return "<p>No events.</p>"
    dated = [month for (_, month), n in counts.items() if month != "undated" for _ in range(n)]
    low, high = usual_range(dated) if dated else ("", "")
    months = sorted({m for _, m in counts if low <= m <= high})
    by_year = len(months) > 24

    def column(month: str) -> str:
        if month == "undated":
            return month
        if not low <= month <= high:
            return "other dates"
        return month[:4] if by_year else month

    cells: Counter = Counter()
    for (crossing, month), n in counts.items():
        cells[(crossing, column(month))] += n
    columns = sorted({c for _, c in cells}, key=lambda c: (c in ("undated", "other dates"), c))
    totals: Counter[str] = Counter()
    for (crossing, _), n in cells.items():
        totals[crossing] += n
    most = max(cells.values())
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    rows = []
    for crossing, total in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]:
        row = "".join(f'<td class="{_quantile_class(cells[(crossing, c)], most)}">{cells[(crossing, c)] or ""}</td>'
                      for c in columns)
        rows.append(f"<tr><th>{esc(crossing)}</th>{row}<td>{total}</td></tr>")
    return f'<table class="cm"><thead><tr><th>crossing</th>{head}<th>total</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'


def actor_bars(actors: Counter) -> str:
    """Horizontal bars: events per sending actor, the most frequent first."""
    top = sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    if not top:
        return "<p>No events.</p>"
    most = top[0][1]
    bars = "".join(f'<text x="0" y="{20 * i + 14}">{esc(name[:48])}</text>'
                   f'<rect class="bar" x="330" y="{20 * i + 4}" width="{500 * n / most:.1f}" height="14"/>'
                   f'<text x="{336 + 500 * n / most:.1f}" y="{20 * i + 15}">{n}</text>'
                   for i, (name, n) in enumerate(top))
    return f'<svg viewBox="0 0 900 {20 * len(top) + 8}" width="900" role="img" aria-label="events by actor">{bars}</svg>'


@dataclass(frozen=True)
class _Projection:
    width: float = 640.0

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        west, south, east, north = MAP_BOX
        scale = self.width / (east - west)
        return (lon - west) * scale, (north - lat) * scale * 1.2


def map_svg(points: dict[tuple[str, str], list]) -> str:
    """Places (green) and crossings (red) with coordinates over Natural Earth country outlines,
    a dot's area growing with its mentions."""
    project = _Projection()
    world = json.loads(resources.files("extract.maps").joinpath("countries.geojson").read_text(encoding="utf-8"))
    lines = []
    for feature in world["features"]:
        for ring in feature["geometry"]["coordinates"]:
            d = "M" + "L".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat in ring)
            lines.append(f'<path class="land" d="{d}"><title>{esc(feature["properties"]["name"])}</title></path>')
    west, south, east, north = MAP_BOX
    dots = []
    most = max((n for _, _, n in points.values()), default=1)
    for (layer, canonical), (lat, lon, n) in sorted(points.items(), key=lambda kv: -kv[1][2]):
        if not (west <= lon <= east and south <= lat <= north):
            continue
        cx, cy = project(lon, lat)
        name = english_name(layer, canonical) or canonical
        kind = "crossing" if layer == "crossings" else "place"
        dots.append(f'<circle class="{kind}" cx="{cx:.1f}" cy="{cy:.1f}" r="{2 + 12 * math.sqrt(n / most):.1f}">'
                    f"<title>{esc(name)}: {n} mention(s)</title></circle>")
    w, h = project(east, south)
    return (f'<svg class="map" viewBox="0 0 {w:.0f} {h:.0f}" width="{w:.0f}" role="img" aria-label="map">'
            f'<rect class="sea" width="{w:.0f}" height="{h:.0f}"/>{"".join(lines)}{"".join(dots)}</svg>'
            '<p>● green: places, red: crossings (area ~ mentions). Country outlines: Natural Earth 1:110m '
            "(public domain).</p>")


EVENT_FIELDS = ("date", "size", "vehicle", "crossing", "actor", "origin", "destinations", "direction", "title", "href")


def events_data(events: list[dict]) -> dict:
    """The events table as ``{"strings": [...], "rows": [[date, size_key, size, …, href], …]}``:
    every text once in ``strings`` (control characters made visible), rows of indices into it;
    ``size_key`` (for sorting) is the smallest stated size, or None."""
    strings: list[str] = []
    index: dict[str, int] = {}

    def ref(text: str) -> int:
        text = visible(text)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    rows = []
    for e in events:
        cells = {**e, "date": e["date"] + (" … " + e["date_end"] if e["date_end"] else "")}
        size_key = e["size_min"] if e["size_min"] is not None else e["size_max"]
        row = [ref(cells[name]) for name in EVENT_FIELDS]
        rows.append([row[0], size_key, *row[1:]])
    return {"strings": strings, "rows": rows}


def events_table(events: list[dict]) -> str:
    """A sortable, filterable table, one ``<tr class="event">`` per convoy event (drawn by the
    page's script from inline JSON), each linking to its article's entity view."""
    head = "".join(f"<th>{name}</th>" for name in ("date", "size", "vehicle", "crossing", "actor", "origin",
                                                    "destinations", "direction", "article", "evidence"))
    return (f'<p><input id="filter" type="search" placeholder="filter events…" aria-label="filter"> '
            f'<span id="shown">{len(events)}</span> of {len(events)} events; click a column to sort '
            '(the address keeps the filter and the sort).</p>'
            f'<table id="events"><thead><tr>{head}</tr></thead><tbody></tbody></table>'
            '<p><button id="more" type="button" hidden>show 500 more</button></p>'
            f'<script type="application/json" id="data">{script_json(events_data(events))}</script>')


def report_html(tally: Tally, title: str) -> str:
    """The index page from a tally."""
    unknown = sum(1 for e in tally.events if e["size_min"] is None and e["size_max"] is None)
    cards = [("articles", tally.articles), ("with events", tally.with_events), ("convoy events", len(tally.events)),
             ("size unknown", unknown), *((layer, tally.layers[layer]) for layer in ("dates", "actors", "places", "crossings"))]
    summary = "".join(f"<span><b>{n}</b>{esc(label)}</span>" for label, n in cards)
    body = (f"<h1>{esc(title)}</h1><div class=\"cards\">{summary}</div>"
            f"<h2>Convoy timeline</h2>{timeline_svg(tally.events)}"
            f"<h2>Events by crossing and month</h2>{crossing_month_table(tally.crossing_months)}"
            f"<h2>Events by actor</h2>{actor_bars(tally.actors)}"
            f"<h2>Places and crossings</h2>{map_svg(tally.points)}"
            f"<h2>Convoy events</h2>{events_table(tally.events)}")
    return page(title, body, STYLE, SCRIPT)


def write_report(source: str | Path | Iterable[dict], to_dir: str | Path, title: str = "extract run report",
                 on_progress: Callable[[int], None] | None = None, workers: int = 1) -> Path:
    """Write ``to_dir/index.html`` and the articles' entity views; returns the index path.

    ``source`` is an ``extract run`` output folder (its ``articles.jsonl`` read line by line, parsed
    and rendered by ``workers`` processes) or records (dicts, in this process)."""
    to_dir = Path(to_dir)
    tally = collect(source, to_dir, on_progress, workers)
    index = to_dir / "index.html"
    index.write_text(report_html(tally, title), encoding="utf-8")
    return index
