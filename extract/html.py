"""Safe HTML building blocks: escaping (text, attributes), visible bidi controls, and a
self-contained page whose Content-Security-Policy allows only its own inline style and script."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from urllib.parse import urlsplit

# Bidi embeddings, overrides and isolates and C0 controls, which could reorder or hide text (the
# RLM/LRM marks common in Arabic text reorder nothing beyond themselves and are left alone).
_CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]")
_SPECIAL = re.compile(_CONTROLS.pattern.replace("[", "[&<>\"'", 1))  # what esc changes: most Arabic text has none


def _visible(match: re.Match) -> str:
    return f"\u27e8U+{ord(match.group()):04X}\u27e9"


def visible(text: object) -> str:
    """Text with its control characters (bidi overrides, isolates, C0) shown as ``⟨U+202E⟩``."""
    return _CONTROLS.sub(_visible, "" if text is None else str(text))


def script_json(data: object) -> str:
    r"""JSON to place inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and line
    separators escaped, so that no text in it can close the element.

    >>> script_json({"t": "</script><b>"})
    '{"t":"\\u003c/script\\u003e\\u003cb\\u003e"}'
    """
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        encoded = encoded.replace(char, escaped)
    return encoded


def esc(text: object) -> str:
    """Text for an HTML element or attribute: ``<>&"'`` escaped, control characters shown as ``⟨U+202E⟩``.

    >>> esc('<script>alert("x")</script>\u202e')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;⟨U+202E⟩'
    """
    text = "" if text is None else str(text)
    return html.escape(visible(text), quote=True) if _SPECIAL.search(text) else text


def safe_url(url: str | None) -> str | None:
    """The url if it is http(s), else None (no ``javascript:``, ``data:``, relative tricks).

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url(" JaVaScRiPt:x")
    ('https://example.org/a?b=1', None, None)
    """
    if not url or _CONTROLS.search(url) or any(c.isspace() for c in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def link(url: str | None, label: str) -> str:
    """An ``<a>`` to an http(s) url that opens no referrer or opener; else the escaped label."""
    target = safe_url(url)
    if target is None:
        return esc(label)
    return f'<a href="{esc(target)}" rel="noopener noreferrer nofollow" target="_blank">{esc(label)}</a>'


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def page(title: str, body: str, style: str, script: str = "", lang: str = "en", direction: str = "ltr") -> str:
    """A complete HTML page with ``style`` and ``script`` inline, allowed by hash and nothing else:
    no network, no other script, no plugin, no form."""
    scripts = _sha256(script) if script else "'none'"
    policy = (f"default-src 'none'; style-src {_sha256(style)}; img-src data:; script-src {scripts}; "
              "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    script_tag = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n{script_tag}\n</body>\n</html>\n")
