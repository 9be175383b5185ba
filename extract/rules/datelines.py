"""The agency a wire names in its dateline: ``عمان 3 شباط (بترا) –``, ``الكويت - 2 - 4 (كونا) --``,
``غازي عنتاب/ الأناضول``, ``موسكو / TRT عربي``. The name is an actor of type ``media``, and so
are its other mentions in the article (``في تصريح للأناضول``), in place of a place or NER
reading of the same words (الأناضول is also Anatolia). As in the gazetteer, a span starts
after a peeled و/ب/ل, and at the token's start for the fused لل.

>>> from extract import Pipeline
>>> doc = Pipeline.default(ner=None)("غازي عنتاب/ الأناضول\\nقال مسؤول للأناضول إن القافلة عبرت")
>>> [(a.text, a.actor_type) for a in doc.actors]
[('الأناضول', 'media'), ('للأناضول', 'media')]
"""

from __future__ import annotations

import regex

from ..doc import ActorMention, Document

_HEAD = 200  # characters of the article a dateline may take
_NAME = r"(?P<name>[\p{L}][\p{L} ]{1,24}?)"
# (X) right before a dash or the end of the first line
_BRACKETED = regex.compile(rf"^[^\n(]{{2,60}}\({_NAME}\)[ \t]*(?:[-–—]|\n|$)")
# PLACE/ X or PLACE / X, a line of its own near the top
_SLASHED = regex.compile(rf"^[^\n/]{{2,30}}/[ \t]*{_NAME}[ \t]*$", regex.M)
_MAX_WORDS = 3


def dateline_source(doc: Document) -> str | None:
    """The agency named in the dateline, if any."""
    head = doc.text[:_HEAD]
    found = _BRACKETED.match(head) or _SLASHED.search(head)
    name = found["name"].strip() if found else ""
    return name if name and len(name.split()) <= _MAX_WORDS else None


def dateline_sources(doc: Document) -> list[ActorMention]:
    """Every mention of the dateline's agency, as media actors."""
    name = dateline_source(doc)
    if name is None:
        return []
    body = regex.escape(name[2:]) if name.startswith("ال") else regex.escape(name)
    article = "(?P<article>لل|ال)" if name.startswith("ال") else "(?P<article>)"
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?P<clitic>[وف]?[بل]?){article}{body}(?![\p{{L}}\p{{M}}])")
    out = []
    for m in pattern.finditer(doc.text):
        start = m.start() if m["article"] == "لل" else m.start("article")
        out.append(ActorMention(text=doc.text[start:m.end()], start=start, end=m.end(),
                                sentence=doc.sentence_index(start), extractor="rules:dateline", confidence=0.8,
                                actor_type="media"))
    return out
