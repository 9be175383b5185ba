"""Score predicted article records against gold ones, per field.

Gold format (one JSON object per line, as in the project's dev gold; the pipeline's own
output is valid gold too)::

    {"doc_id", "published", "dates": [{"text", "value", "range_end"?}],
     "actors"|"places"|"crossings": [{"text", "canonical"}],
     "convoys": [{"text", "size_min", "size_max", "crossing"?, "origin"?, "destination"?, "date"?}],
     "events"?: [...]}

Mention detection: a predicted and a gold item match when they overlap (both have
offsets) or when their texts, normalized and with clitics stripped, are equal or one
contains the other. Gold with offsets is matched occurrence by occurrence, one to one;
gold without offsets lists surface forms, so distinct predicted texts are compared.
Values: date ``value`` (+ ``range_end``), convoy ``size_min``/``size_max``, ``canonical``
ids; value accuracy counts every gold item that has a value (an unmatched one is wrong).
Id agreement (actors, places, crossings) does not need the gold's id scheme: over pairs of
found gold items, whether the predicted ids agree that the two are the same thing or not.
Events: the gold's events, or one per gold convoy with the slots it states
(crossing/origin/destination/date/actor), matched to predicted events through their
convoy text; slot accuracy over the slots the gold states.
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
_ID_FIELDS = ("actors", "places", "crossings")
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
    """Detection counts and value accuracy of one field.

    ``tp_gold``/``fn`` count gold items found or missed (recall), ``tp_pred``/``fp`` predicted
    items right or spurious (precision); the two true-positive counts differ only for
    surface-form gold, where one gold string may be matched by several predicted ones.
    """

    tp_gold: int = 0
    fn: int = 0
    tp_pred: int = 0
    fp: int = 0
    values_ok: int = 0
    values_total: int = 0
    pairs_ok: int = 0
    pairs_total: int = 0
    slots: dict[str, list[int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp_pred / (self.tp_pred + self.fp) if self.tp_pred + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / (self.tp_gold + self.fn) if self.tp_gold + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_accuracy(self) -> float | None:
        return self.values_ok / self.values_total if self.values_total else None

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
               "tp": self.tp_gold, "fp": self.fp, "fn": self.fn}
        if self.values_total:
            out.update(value_accuracy=round(self.values_ok / self.values_total, 4), values=self.values_total)
        if self.pairs_total:
            out["id_agreement"] = round(self.pairs_ok / self.pairs_total, 4)
        if self.slots:
            out["slot_accuracy"] = {k: round(ok / n, 4) for k, (ok, n) in self.slots.items() if n}
        return out

    def detect(self, gold: list[dict], pred: list[dict]) -> dict[int, list[dict]]:
        """Count detection and return, per gold item (by ``id``), the predicted items matching it.

        Gold with offsets is matched occurrence by occurrence, one to one. Gold without offsets
        lists surface forms, so predictions are compared as distinct texts: a predicted text is
        right when it matches some gold item (as the project's dev scorer does).
        """
        if gold and all(isinstance(g.get("start"), int) for g in gold):
            matches = _one_to_one(gold, pred)
            self.tp_pred += sum(bool(m) for m in matches.values())
            self.fp += len(pred) - sum(bool(m) for m in matches.values())
        else:
            distinct = list({match_key(p.get("text") or ""): p for p in reversed(pred)}.values())[::-1]
            matches = {id(g): [p for p in pred if same_mention(g, p)] for g in gold}
            right = sum(any(same_mention(g, p) for g in gold) for p in distinct)
            self.tp_pred += right
            self.fp += len(distinct) - right
        found = sum(bool(m) for m in matches.values())
        self.tp_gold += found
        self.fn += len(gold) - found
        return matches


def _one_to_one(gold: list[dict], pred: list[dict]) -> dict[int, list[dict]]:
    """Greedy one-to-one matching in gold order."""
    used: set[int] = set()
    matches: dict[int, list[dict]] = {}
    for g in gold:
        matches[id(g)] = []
        for i, p in enumerate(pred):
            if i not in used and same_mention(g, p):
                used.add(i)
                matches[id(g)] = [p]
                break
    return matches


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


def _events_of(record: dict) -> list[dict]:
    """Events as flat dicts {text, actor, crossing, origin, destination(s), date} for matching.

    A record without ``events`` (hand-made gold) has one event per convoy, with the slots its
    convoy items state."""
    if "events" not in record:
        return [{"text": c["text"], **{k: c[k] for k in EVENT_SLOTS if k in c}} for c in record.get("convoys") or []]
    convoys = record.get("convoys") or []
    out = []
    for event in record["events"]:
        index = event.get("convoy")
        convoy = convoys[index] if isinstance(index, int) and index < len(convoys) else {}
        out.append({
            "text": convoy.get("text", ""), "start": convoy.get("start"), "end": convoy.get("end"),
            "actor": (event.get("actor") or {}).get("text"),
            "crossing": (event.get("crossing") or {}).get("text"),
            "origin": (event.get("origin") or {}).get("text"),
            "destination": [d["text"] for d in event.get("destinations") or []],
            "date": event.get("date"),
        })
    return out


def _slot_ok(slot: str, gold_value: Any, pred: dict) -> bool:
    if slot == "date":
        return pred.get("date") == gold_value
    predicted = pred.get(slot)
    candidates = predicted if isinstance(predicted, list) else [predicted]
    wanted = gold_value if isinstance(gold_value, list) else [gold_value]
    return all(any(c and same_mention({"text": w}, {"text": c}) for c in candidates) for w in wanted)


def score_records(gold: Iterable[dict], pred: Iterable[dict]) -> dict[str, FieldScore]:
    """Per-field scores of predicted records against gold records (matched by ``doc_id``)."""
    predicted = {str(r.get("doc_id")): r for r in pred}
    scores = {name: FieldScore() for name in FIELDS}
    for g in gold:
        p = predicted.get(str(g.get("doc_id")), {})
        for name in FIELDS:
            if name == "events":
                gold_items, pred_items = _events_of(g), (_events_of(p) if p else [])
            else:
                gold_items = [x for x in g.get(name) or [] if x.get("text")]
                pred_items = [x for x in p.get(name) or [] if x.get("text")]
            score = scores[name]
            matches = score.detect(gold_items, pred_items)
            for item in gold_items:
                found = matches[id(item)]
                if name == "events":
                    _score_slots(score, item, found)
                    continue
                ok = _value_ok(name, item, found[0] if found else {})
                if ok is not None:
                    score.values_total += 1
                    score.values_ok += any(_value_ok(name, item, f) for f in found)
            if name in _ID_FIELDS:
                _score_id_agreement(score, gold_items, matches)
    return scores


def _score_id_agreement(score: FieldScore, gold: list[dict], matches: dict[int, list[dict]]) -> None:
    """Whatever the id scheme, aliases of one thing share an id: for every pair of found gold
    items with ids, gold and prediction agree on "same thing" or "different things"."""
    ids = [(g["canonical"], matches[id(g)][0]["canonical"]) for g in gold
           if g.get("canonical") and matches[id(g)] and matches[id(g)][0].get("canonical")]
    for i, (gold_a, pred_a) in enumerate(ids):
        for gold_b, pred_b in ids[i + 1:]:
            score.pairs_total += 1
            score.pairs_ok += (gold_a == gold_b) == (pred_a == pred_b)


def _score_slots(score: FieldScore, gold: dict, found: list[dict]) -> None:
    for slot in EVENT_SLOTS:
        if gold.get(slot) in (None, [], ""):
            continue
        ok, total = score.slots.setdefault(slot, [0, 0])
        score.slots[slot] = [ok + any(_slot_ok(slot, gold[slot], f) for f in found), total + 1]


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
        lines.append(f"{name:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp_gold:5d} {s.fp:5d} {s.fn:5d} {value:>6}  {slots}")
    return "\n".join(lines)


def scores_json(scores: dict[str, FieldScore]) -> str:
    """The scores as JSON (per field: precision, recall, f1, counts, value and slot accuracy)."""
    return json.dumps({name: s.summary() for name, s in scores.items()}, ensure_ascii=False, indent=2)
