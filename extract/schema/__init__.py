"""The versioned JSON Schema of the article record (article.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def article_schema() -> dict:
    """The JSON Schema (draft 2020-12) every line of ``articles.jsonl`` follows."""
    return json.loads(resources.files(__name__).joinpath("article.schema.json").read_text(encoding="utf-8"))
