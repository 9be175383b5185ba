"""Checking a model directory before a backend loads it, so that a wrong path gives one
clear message instead of a traceback from deep inside a library."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ExtractError


class NERModelError(ExtractError, ValueError):
    """A NER model directory is missing, incomplete or unreadable."""


def require_files(model_dir: str | Path | None, names: Iterable[str], backend: str, hint: str) -> Path:
    """``model_dir`` as a Path, after checking it holds every file in ``names``."""
    if model_dir is None:
        raise NERModelError(f"the {backend} NER backend needs a local model directory (ner_model=…); {hint}")
    path = Path(model_dir).expanduser()
    if not path.is_dir():
        raise NERModelError(f"{backend} NER model directory not found: {path}; {hint}")
    missing = [name for name in names if not (path / name).is_file()]
    if missing:
        raise NERModelError(f"{backend} NER model directory {path} lacks {', '.join(missing)}; {hint}")
    return path
