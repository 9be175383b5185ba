"""The README and the docs pages as specs: every Python example runs and prints what the page
says it prints (the ``text`` block right after it), and every relative link leads somewhere."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
NOT_RUN = "<!-- not run:"  # the line before an example that needs something a test machine lacks
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def examples() -> list[tuple[str, str, str | None, bool]]:
    """(page:line, code, expected output or None, run?) for each ```python block of the pages."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        blocks = list(FENCE.finditer(text))
        for i, block in enumerate(blocks):
            if block.group(1) != "python":
                continue
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            expected = after.group(2) if after and after.group(1) == "text" \
                and not text[block.end():after.start()].strip() else None
            before = text[:block.start()].rstrip("\n").rsplit("\n", 1)[-1]
            line = text.count("\n", 0, block.start()) + 1
            out.append((f"{page.relative_to(ROOT)}:{line}", block.group(2), expected, not before.startswith(NOT_RUN)))
    return out


def test_the_pages_have_examples_and_the_readme_shows_output():
    found = examples()
    assert sum(run for *_, run in found) >= 5
    assert any(where.startswith("README.md") and expected for where, _, expected, _ in found)


@pytest.mark.parametrize("where, code, expected, run", examples(), ids=[e[0] for e in examples()])
def test_example_runs_and_prints_what_the_page_says(where, code, expected, run):
    compiled = compile(code, where, "exec")
    if not run:
        return  # needs a model directory: compiled (so it is valid Python), not run
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compiled, {"__name__": "__docs__"})
    if expected is not None:
        assert printed.getvalue() == expected


def _anchors(page: Path) -> set[str]:
    """Heading anchors as GitHub and MkDocs make them: lower case, punctuation dropped, spaces → -."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", h.strip().lower()))
            for h in re.findall(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_resolve(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        assert resolved.exists(), f"{page.name}: {target} leads nowhere"
        assert resolved.is_relative_to(ROOT), f"{page.name}: {target} leaves the repository"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{page.name}: no heading #{anchor} in {path or page.name}"
