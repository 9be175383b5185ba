"""Components defined outside the package, as a user would write them (the registry tests add
them to pipelines that workers rebuild from ``nlp.config``)."""

from __future__ import annotations

from extract.doc import Document, Span
from extract.registry import register_component


@register_component("keywords", requires=("doc.tokens",), assigns=("doc.entities",))
class KeywordTagger:
    """Tags each token spelled as one of ``words`` with ``label``."""

    name = "keywords"

    def __init__(self, words: list[str] | tuple[str, ...] = ("قافلة",), label: str = "KEYWORD"):
        self.words = frozenset(words)
        self.label = label

    def __call__(self, doc: Document) -> Document:
        doc.entities.extend(Span(text=t.text, start=t.start, end=t.end, label=self.label, sentence=t.sentence,
                                 extractor="keywords") for t in doc.tokens if t.text in self.words)
        return doc


class FirstSentenceTitle:
    """Not registered (added by dotted path): an article without a headline gets its first
    sentence, cut at ``max_chars``, as title."""

    name = "first_sentence_title"

    def __init__(self, max_chars: int = 80):
        self.max_chars = max_chars

    def __call__(self, doc: Document) -> Document:
        if doc.title is None and doc.sentences:
            doc.title = doc.sentences[0].text[:self.max_chars]
        return doc


class NamedCrossingsOnly:
    """Not registered, takes no arguments (goes by its dotted path): drops generic crossing
    mentions (المنافذ الحدودية), keeps named ones."""

    name = "named_crossings_only"

    def __call__(self, doc: Document) -> Document:
        doc.crossings = [c for c in doc.crossings if c.named]
        return doc
