"""What a wheel of the package carries is enough: the default pipeline and `extract run` work
from it alone, outside the checkout (the NER model, lexicons, schema and decision model are
package data)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from the checkout, unpacked into a folder outside it (as pip installs it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp / "dist").glob("extract-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp / "site")
    return tmp


def run_from_wheel(installed, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed / "site"), "NUMBA_CACHE_DIR": str(installed / "numba")}
    return subprocess.run([sys.executable, "-c", code], cwd=installed, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_wheel_carries_the_model_and_the_language_data(installed):
    names = set(zipfile.ZipFile(next((installed / "dist").glob("*.whl"))).namelist())
    for path in ("extract/models/ner-anercorp/model.crfsuite", "extract/models/ner-anercorp/config.json",
                 "extract/decide_model.json", "extract/lexicons/crossings_regional.tsv",
                 "extract/schema/article.schema.json"):
        assert path in names, path


def test_the_default_pipeline_runs_from_the_wheel(installed):
    result = run_from_wheel(installed, (
        "import json, extract; from extract import Pipeline\n"
        "assert extract.__file__.startswith(%r), extract.__file__\n"
        "doc = Pipeline.default()('ورصد المرصد السوري دخول قافلة تضم أكثر من 100 شاحنة عبر معبر الوليد', published='2020-04-24')\n"
        "print(json.dumps([[c.text for c in doc.convoys], [c.canonical for c in doc.crossings], len(doc.entities) > 0]))"
    ) % str(installed / "site"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [["قافلة تضم أكثر من 100 شاحنة"], ["al_walid_iraq"], True]


def test_extract_run_works_from_the_wheel(installed):
    (installed / "in.jsonl").write_text(json.dumps({"id": "a1", "text": "دخلت قافلة تضم 30 شاحنة عبر معبر باب الهوى أمس",
                                                    "published": "2020-04-24"}, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    result = run_from_wheel(installed, "import sys; from extract.cli import app; sys.argv = ['extract', 'run', 'in.jsonl', "
                                       "'--out', 'out']; app()")
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in (installed / "out" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [c["text"] for c in record["convoys"]] == ["قافلة تضم 30 شاحنة"]
    assert record["crossings"][0]["canonical"] == "bab_al_hawa"
