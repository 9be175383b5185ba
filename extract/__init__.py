"""extract: offline Arabic information extraction for conflict-research news archives.

>>> from extract import Pipeline
>>> nlp = Pipeline.default()
>>> doc = nlp("ورصد المرصد السوري دخول قافلة عبر معبر الوليد", published="2020-04-24")
"""

__version__ = "0.1.0"

from .doc import Document, Span  # noqa: E402
from .pipeline import Pipeline  # noqa: E402

__all__ = ["Document", "Pipeline", "Span", "__version__"]
