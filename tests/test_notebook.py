"""docs/entity_view.ipynb runs and shows the entity view (the notebook display of a Document)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is a dev dependency (pip install -e '.[dev]')")

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "entity_view.ipynb"


def test_example_notebook_shows_the_entity_view():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    shown = [output["data"]["text/html"] for cell in notebook.cells if cell.cell_type == "code"
             for output in cell.outputs if "text/html" in output.get("data", {})]
    assert len(shown) == 2
    assert all('dir="rtl"' in html and 'class="k-convoy' in html for html in shown)
    assert "قافلة تضم أكثر من 100 شاحنة" in shown[0] and "Al-Walid crossing" in shown[0]
    assert 'class="event hl"' in shown[1]
