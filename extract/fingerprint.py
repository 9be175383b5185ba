"""Short content hashes of files, for pipeline signatures (a changed model, lexicon or
source file changes the signature, and records made before become stale).

>>> fingerprint([b"abc"])
'ba7816bf8f'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def fingerprint(items: Iterable[str | Path | Traversable | bytes], length: int = 10) -> str:
    """Short content hash of files (given by path) or raw bytes, in order."""
    digest = hashlib.sha256()
    for item in items:
        if isinstance(item, str):
            item = Path(item)
        digest.update(item if isinstance(item, bytes) else item.read_bytes())
    return digest.hexdigest()[:length]
