"""Score predicted article records against gold ones, per field.

Gold format (one JSON object per line, as in the project's dev gold; the pipeline's own
output is valid gold too)::

    {"doc_id", "published", "dates": [{"text", "value", "range_end"?}],
     "actors"|"places"|"crossings": [{"text", "canonical"}],
     "convoys": [{"text", "size_min", "size_max", "crossing"?, "origin"?, "destination"?, "date"?}],
     "events"?: [...]}

Mention detection: a predicted and a gold item match when they overlap (both have
offsets) or when their texts, normalized and with clitics stripped, are equal or one
contains the other; matching is one-to-one. Values: date ``value`` (+ ``range_end``),
convoy ``size_min``/``size_max``, ``canonical`` ids; value accuracy counts every gold
item that has a value (an unmatched one is wrong). Events: gold events, or gold convoys
that name a crossing/origin/destination/date, matched to predicted events through their
convoy text; slot accuracy over the slots gold states.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalize import fold

FIELDS = ("dates", "actors", "places", "convoys", "crossings", "events")
EVENT_SLOTS = ("actor", "crossing", "origin", "destination", "date")
_PROCLITICS = ("وال", "بال", "لل", "فال", "كال", "ال", "و", "ب", "ل", "ف")
_LONE_CLITICS = frozenset("وفبلك")
_MIN_STEM = 3


def match_key(text: str) -> str:
    """Normalized text with punctuation dropped and each word's proclitics stripped.

    >>> match_key('لـ"التحالف الدولي"') == match_key("التحالف الدولى")
    True
    """
    words = []
    for word in "".join(c if c.isalnum() else " " for c in fold(text)).split():
        if word in _LONE_CLITICS:
            continue  # لـ"التحالف" leaves a bare ل before the quote
        for clitic in _PROCLITICS:
            if word.startswith(clitic) and len(word) - len(clitic) >= _MIN_STEM:
                word = word[len(clitic):]
                break
        words.append(word)
    return " ".join(words)


def same_mention(gold: dict, pred: dict) -> bool:
    """Whether a predicted item refers to the same stretch of text as a gold one."""
    if all(isinstance(x.get(k), int) for x in (gold, pred) for k in ("start", "end")):
        return gold["start"] < pred["end"] and pred["start"] < gold["end"]
    g, p = match_key(gold.get("text") or ""), match_key(pred.get("text") or "")
    return bool(g and p) and (g == p or (len(p) >= _MIN_STEM and p in g) or (len(g) >= _MIN_STEM and g in p))


@dataclass
class FieldScore:
    """Detection counts and value accuracy of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    values_ok: int = 0
    values_total: int = 0
    slots: dict[str, list[int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_accuracy(self) -> float | None:
        return self.values_ok / self.values_total if self.values_total else None

    def summary(self) -> dict[str, Any]:
        out = {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
               "tp": self.tp, "fp": self.fp, "fn": self.fn}
        if self.values_total:
            out.update(value_accuracy=round(self.value_accuracy, 4), values=self.values_total)
        if self.slots:
            out["slot_accuracy"] = {k: round(ok / n, 4) for k, (ok, n) in self.slots.items() if n}
        return out


def _pairs(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one greedy matching, in gold order."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same_mention(g, p):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def _value_ok(field_name: str, gold: dict, pred: dict) -> bool | None:
    """Whether the predicted value is right; None when the gold item states no value."""
    if field_name == "dates":
        if gold.get("value") is None:
            return None
        range_ok = "range_end" not in gold or pred.get("range_end") == gold["range_end"]
        return pred.get("value") == gold["value"] and range_ok
    if field_name == "convoys":
        if gold.get("size_min") is None and gold.get("size_max") is None:
            return None
        return (pred.get("size_min"), pred.get("size_max")) == (gold.get("size_min"), gold.get("size_max"))
    if gold.get("canonical") is None:
        return None
    return pred.get("canonical") == gold["canonical"]


def _events_of(record: dict, predicted: bool) -> list[dict]:
    """Events as flat dicts {text, actor, crossing, origin, destination(s), date} for matching."""
    if predicted or record.get("events"):
        convoys = record.get("convoys") or []
        out = []
        for event in record.get("events") or []:
            convoy = convoys[event["convoy"]] if isinstance(event.get("convoy"), int) and event["convoy"] < len(convoys) else {}
            out.append({
                "text": convoy.get("text", ""), "start": convoy.get("start"), "end": convoy.get("end"),
                "actor": (event.get("actor") or {}).get("text"),
                "crossing": (event.get("crossing") or {}).get("text"),
                "origin": (event.get("origin") or {}).get("text"),
                "destination": [d["text"] for d in event.get("destinations") or []],
                "date": event.get("date"),
            })
        return out
    return [{"text": c["text"], **{k: c[k] for k in EVENT_SLOTS if k in c}}
            for c in record.get("convoys") or [] if any(k in c for k in EVENT_SLOTS)]


def _slot_ok(slot: str, gold_value: Any, pred: dict) -> bool:
    if slot == "date":
        return pred.get("date") == gold_value
    predicted = pred.get(slot)
    candidates = predicted if isinstance(predicted, list) else [predicted]
    wanted = gold_value if isinstance(gold_value, list) else [gold_value]
    return all(any(c and same_mention({"text": w}, {"text": c}) for c in candidates) for w in wanted)


def _score_events(score: FieldScore, gold: list[dict], pred: list[dict]) -> None:
    pairs = _pairs(gold, pred)
    score.tp += len(pairs)
    score.fn += len(gold) - len(pairs)
    score.fp += len(pred) - len(pairs)
    matched = {id(g): p for g, p in pairs}
    for g in gold:
        for slot in EVENT_SLOTS:
            if g.get(slot) in (None, [], ""):
                continue
            ok, total = score.slots.setdefault(slot, [0, 0])
            good = id(g) in matched and _slot_ok(slot, g[slot], matched[id(g)])
            score.slots[slot] = [ok + good, total + 1]


def score_records(gold: Iterable[dict], pred: Iterable[dict]) -> dict[str, FieldScore]:
    """Per-field scores of predicted records against gold records (matched by ``doc_id``)."""
    predicted = {str(r.get("doc_id")): r for r in pred}
    scores = {name: FieldScore() for name in FIELDS}
    for g in gold:
        p = predicted.get(str(g.get("doc_id")), {})
        for name in FIELDS:
            if name == "events":
                _score_events(scores[name], _events_of(g, predicted=False), _events_of(p, predicted=True) if p else [])
                continue
            gold_items = [x for x in g.get(name) or [] if x.get("text")]
            pred_items = [x for x in p.get(name) or [] if x.get("text")]
            pairs = _pairs(gold_items, pred_items)
            s = scores[name]
            s.tp += len(pairs)
            s.fn += len(gold_items) - len(pairs)
            s.fp += len(pred_items) - len(pairs)
            matched = {id(gi): pi for gi, pi in pairs}
            for gi in gold_items:
                ok = _value_ok(name, gi, matched.get(id(gi), {}))
                if ok is not None:
                    s.values_total += 1
                    s.values_ok += ok
    return scores


def read_jsonl(path: str | Path) -> list[dict]:
    """Records of a JSONL file (blank lines skipped)."""
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def format_table(scores: dict[str, FieldScore]) -> str:
    """A plain-text table of the scores."""
    lines = [f"{'field':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5} {'value':>6}  slots"]
    for name, s in scores.items():
        value = f"{s.value_accuracy:.3f}" if s.value_accuracy is not None else "-"
        slots = " ".join(f"{k}={v:.2f}" for k, v in s.summary().get("slot_accuracy", {}).items())
        lines.append(f"{name:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d} {value:>6}  {slots}")
    return "\n".join(lines)


def scores_json(scores: dict[str, FieldScore]) -> str:
    """The scores as JSON (per field: precision, recall, f1, counts, value and slot accuracy)."""
    return json.dumps({name: s.summary() for name, s in scores.items()}, ensure_ascii=False, indent=2)
