"""The package's exceptions: every error ``extract`` raises on purpose subclasses :class:`ExtractError`."""

from __future__ import annotations


class ExtractError(Exception):
    """Base class of the errors this package raises (catch it to handle them all)."""


class OutputError(ExtractError):
    """The output folder cannot be used: locked by another run, not writable, or the disk is full."""


class DocumentTimeout(ExtractError):
    """A document took longer than its time limit."""


class ArticleTypeError(ExtractError, TypeError):
    """The pipeline was given something other than article text (``str``) or a Document."""


class PipelineError(ExtractError, ValueError):
    """A pipeline that cannot work as asked: an unknown component name, or stages whose
    requirements an earlier stage no longer provides."""


class MetadataError(ExtractError, TypeError):
    """Article metadata the pipeline does not know (a misspelt keyword such as ``publshed``)."""


class RecordError(ExtractError, ValueError):
    """An article record that cannot be read back into a Document (no text, another schema
    version, a field this version does not know, a span whose offsets do not hold its text)."""


class ExtractWarning(UserWarning):
    """Something the pipeline could not read and left empty (e.g. an unreadable publication date)."""
