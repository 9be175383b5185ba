"""Entity view of one article (displaCy-like, right to left): every mention a ``<mark>``
coloured by kind with a tooltip, the convoy events listed under the text, each linking to its
evidence, which is highlighted when the page is opened at ``#event-N``.

>>> from extract import Pipeline
>>> html = render(Pipeline.default()("دخلت قافلة تضم 20 شاحنة عبر معبر باب الهوى"))
>>> 'dir="rtl"' in html and 'class="k-convoy' in html and "Bab al-Hawa crossing" in html
True
"""

from __future__ import annotations

import hashlib
from typing import Any

from .html import esc, link, page
from .labels import english_name, size_label

# Layer → kind, in the order a mark takes its colour when mentions overlap.
KINDS = {"convoys": "convoy", "crossings": "crossing", "dates": "date", "actors": "actor",
         "places": "place", "entities": "entity"}
COLOURS = {"convoy": "#f4a261", "crossing": "#e76f51", "date": "#8ecae6", "actor": "#cdb4db",
           "place": "#95d5b2", "entity": "#e9ecef"}
SLOTS = ("actor", "beneficiary", "crossing", "origin")

STYLE = ("""
.xv{font-family:system-ui,sans-serif;max-width:60rem;line-height:2.1;color:#222}
.xv .meta{line-height:1.5;font-size:.9rem;color:#555;margin:.3rem 0 .8rem}
.xv h1{font-size:1.3rem;margin:.2rem 0}
.xv .text{white-space:pre-wrap;font-size:1.1rem}
.xv mark{padding:.1em .25em;border-radius:.3em;color:inherit}
.xv mark .lbl{font-size:.6em;font-weight:bold;opacity:.65;margin-inline-start:.3em;text-transform:uppercase}
.xv .ctl{color:#b00;font-size:.7em}
.xv span.hl{background:#fff3b0}
.xv mark.hl{text-decoration:underline 3px #d62828;text-underline-offset:.3em}
.xv .events{direction:ltr;text-align:left;line-height:1.6;border-top:1px solid #ccc;margin-top:1rem}
.xv .events li.hl{outline:none;background:#fff3b0}
.xv .legend span{margin-inline-end:.6em}
""" + "".join(f".xv .k-{kind}{{background:{colour}}}\n" for kind, colour in COLOURS.items()))

SCRIPT = ("function hl(){var m=/^#(?:event|evidence)-(\\d+)$/.exec(location.hash);"
          "document.querySelectorAll('.hl').forEach(function(e){e.classList.remove('hl')});"
          "if(!m)return;var n=m[1];"
          "document.querySelectorAll('.ev'+n+',#event-'+n).forEach(function(e){e.classList.add('hl')});"
          "var f=document.querySelector('.ev'+n);if(f)f.scrollIntoView({block:'center'})}"
          "addEventListener('hashchange',hl);hl();")


def _record(doc: Any) -> dict:
    return doc if isinstance(doc, dict) else doc.to_dict()


def tooltip(layer: str, item: dict) -> str:
    """The lines a mark's tooltip shows: kind, canonical id, English name, value, extractor, confidence."""
    kind = KINDS[layer]
    lines = [f"{kind}: {item.get('text')}"]
    if item.get("canonical"):
        lines.append(f"id: {item['canonical']}")
    name = english_name(layer, item.get("canonical"))
    if name:
        lines.append(f"en: {name}")
    if layer == "dates" and item.get("value"):
        end = f" … {item['range_end']}" if item.get("range_end") else ""
        lines.append(f"value: {item['value']}{end} ({item.get('granularity') or '?'})")
    if layer == "convoys":
        lines.append(f"size: {size_label(item.get('size_min'), item.get('size_max'), bool(item.get('approximate')))} "
                     f"{item.get('vehicle') or 'vehicles'}; specific: {item.get('specific')}")
    if layer == "crossings":
        lines.append(f"named: {item.get('named', True)}; type: {item.get('crossing_type')}")
    if layer in ("actors", "places") and (item.get("actor_type") or item.get("place_type")):
        lines.append(f"type: {item.get('actor_type') or item.get('place_type')}")
    if layer == "entities":
        lines.append(f"label: {item.get('label')}")
    confidence = item.get("confidence")
    lines.append(f"extractor: {item.get('extractor')}; confidence: "
                 f"{'—' if confidence is None else f'{confidence:.3f}'}")
    return "\n".join(lines)


def _segments(record: dict, items: list[tuple]) -> list[tuple[int, int, list, list[int]]]:
    """Cut the text where any mention or evidence starts or ends: (start, end, mentions, events),
    sweeping once over the cuts with the mentions and evidence open at each."""
    length = len(record.get("text") or "")
    spans: list[tuple[int, int, tuple[str, Any]]] = [(it[0], it[1], ("item", it)) for it in items]
    spans += [(min(max(ev.get("evidence_start", 0), 0), length), min(max(ev.get("evidence_end", 0), 0), length), ("event", i))
              for i, ev in enumerate(record.get("events") or [])]
    opening: dict[int, list] = {}
    for s, e, what in spans:
        if s < e:
            opening.setdefault(s, []).append((e, what))
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    open_now: list[tuple[int, tuple]] = []
    segments = []
    for start, end in zip(cuts, cuts[1:]):
        open_now = [(e, what) for e, what in open_now if e > start] + opening.get(start, [])
        covering = sorted((what[1] for _, what in open_now if what[0] == "item"), key=lambda it: (it[2], it[0]))
        events = sorted(what[1] for _, what in open_now if what[0] == "event")
        segments.append((start, end, covering, events))
    return segments


def _text_html(record: dict, ids: str, highlight: int | None) -> str:
    text = record.get("text") or ""
    items = [(item["start"], item["end"], rank, layer, item)
             for rank, layer in enumerate(KINDS) for item in record.get(layer) or []
             if 0 <= item["start"] < item["end"] <= len(text)]
    titles = {id(it): tooltip(it[3], it[4]) for it in items}
    out = []
    for start, end, covering, events in _segments(record, items):
        piece = esc(text[start:end])
        classes = " ".join([*(f"ev{i}" for i in events), *(["hl"] if highlight in events else [])])
        anchors = "".join(f'<a id="{ids}evidence-{i}"></a>' for i in events
                          if record["events"][i].get("evidence_start", 0) == start)
        if covering:
            top = covering[0]
            kind = KINDS[top[3]]
            title = "\n\n".join(titles[id(it)] for it in covering)
            label = f'<span class="lbl">{kind}</span>' if top[1] == end else ""
            out.append(f'{anchors}<mark class="k-{kind} {classes}" title="{esc(title)}">{piece}{label}</mark>')
        else:
            out.append(f'{anchors}<span class="{classes}">{piece}</span>' if classes else anchors + piece)
    return "".join(out)


def _slot(layer: str, filler: dict | None) -> str:
    if not filler:
        return "—"
    name = english_name(layer, filler.get("canonical"))
    arabic = f'<bdi lang="ar">{esc(filler.get("text"))}</bdi>'
    return f"{esc(name)} ({arabic})" if name else arabic


def event_summary(event: dict) -> str:
    """One line of HTML: size, sender, crossing, route, date and direction of a convoy event."""
    layer = {"actor": "actors", "beneficiary": "actors", "crossing": "crossings", "origin": "places"}
    parts = [f"<b>{esc(size_label(event.get('size_min'), event.get('size_max'), bool(event.get('approximate'))))}</b> "
             f"{esc(event.get('vehicle') or 'vehicles')}"]
    parts += [f"{slot}: {_slot(layer[slot], event.get(slot))}" for slot in SLOTS if event.get(slot)]
    destinations = event.get("destinations") or []
    if destinations:
        parts.append("to: " + ", ".join(_slot("places", d) for d in destinations))
    when = event.get("date") or "undated"
    if event.get("date_end"):
        when += f" … {event['date_end']}"
    parts.append(f"date: {esc(when)} ({esc(event.get('date_source') or '—')})")
    if event.get("direction"):
        parts.append(esc(event["direction"]))
    return " · ".join(parts)


def _events_html(record: dict, ids: str, highlight: int | None) -> str:
    events = record.get("events") or []
    if not events:
        return '<div class="events"><p>No convoy events.</p></div>'
    items = []
    for i, event in enumerate(events):
        hl = " hl" if i == highlight else ""
        items.append(f'<li id="{ids}event-{i}" class="event{hl}"><a href="#{ids}evidence-{i}">evidence</a> · '
                     f"{event_summary(event)}</li>")
    return f'<div class="events"><h2>Convoy events</h2><ol start="0">{"".join(items)}</ol></div>'


def _meta_html(record: dict) -> str:
    source = record.get("source") or ""
    url = record.get("url")
    parts = [esc(record.get("doc_id") or ""), esc(record.get("published") or "no date"), esc(source)]
    if url:
        parts.append(link(url, url))
    legend = "".join(f'<span><mark class="k-{kind}">{kind}</mark></span>' for kind in COLOURS)
    return f'<div class="meta" dir="ltr">{" · ".join(parts)}<div class="legend">{legend}</div></div>'


def render(doc: Any, *, page_title: str | None = None, standalone: bool = False,
           highlight: int | None = None) -> str:
    """HTML entity view of a Document or article record.

    ``standalone`` gives a complete page (with a strict Content-Security-Policy and a tiny script
    that highlights the evidence of ``#event-N``); otherwise a fragment for notebooks.
    ``highlight`` marks one event's evidence in the HTML itself.
    """
    record = _record(doc)
    ids = "" if standalone else "x" + hashlib.sha1(str(record.get("doc_id")).encode()).hexdigest()[:8] + "-"
    text = _text_html(record, ids, highlight)
    title = f'<h1>{esc(record.get("title"))}</h1>' if record.get("title") else ""
    missing = "" if record.get("text") else '<p dir="ltr">(this record holds no text: run without --no-text)</p>'
    body = (f'<div class="xv" dir="rtl" lang="ar">{title}{_meta_html(record)}{missing}'
            f'<div class="text">{text}</div>{_events_html(record, ids, highlight)}</div>')
    if standalone:
        return page(page_title or record.get("title") or str(record.get("doc_id")), body, STYLE, SCRIPT,
                    lang="ar", direction="rtl")
    return f"<style>{STYLE}</style>{body}"
