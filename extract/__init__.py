"""extract: offline Arabic information extraction for conflict-research news archives.

>>> from extract import Pipeline, to_frames
>>> nlp = Pipeline.default()
>>> doc = nlp("ورصد المرصد السوري دخول قافلة تضم أكثر من 100 شاحنة عبر معبر الوليد", published="2020-04-24")
>>> [(c.text, c.size_min) for c in doc.convoys]
[('قافلة تضم أكثر من 100 شاحنة', 101)]
"""

__version__ = "0.1.0"

from .doc import Document, Span
from .pipeline import Pipeline

__all__ = ["Document", "Pipeline", "Span", "render", "to_frames", "__version__"]


def __getattr__(name: str):
    """``to_frames`` and ``render`` are imported on first use, so that the CLI does not pay for pandas."""
    if name == "to_frames":
        from .export import to_frames

        return to_frames
    if name == "render":
        from .view import render

        return render
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
