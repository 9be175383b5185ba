"""HTML pages → articles: the main text and metadata extracted with trafilatura."""

from __future__ import annotations

from .readers import Article, BadItem


def html_to_article(html: str, *, doc_id: str, source: str) -> Article | BadItem:
    """The article body of an HTML page (title first, when the page has one)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True)
    if extracted is None or isinstance(extracted, dict) or not (extracted.text or "").strip():  # a dict only with as_dict=True
        return BadItem(source, None, "no article text found in HTML", doc_id)
    body, title = (extracted.text or "").strip(), (extracted.title or "").strip() or None
    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    return Article(doc_id=doc_id, text=text, source=source, title=title,
                   published=extracted.date, url=extracted.url)
