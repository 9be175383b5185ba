"""`extract run` end to end: good and bad inputs in one run, error records, exit codes, resume."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from extract.cli import app
from tests.conftest import GOLD, ROOT, needs_shared

ARTICLE = "دخلت قافلة تضم 75 شاحنة عبر معبر الوليد إلى ريف الحسكة."
runner = CliRunner()


def run_cli(*args):
    return runner.invoke(app, ["run", *map(str, args)])


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_sample_article(tmp_path):
    result = run_cli(ROOT / "data" / "raw", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl(tmp_path / "articles.jsonl")
    assert record["doc_id"] == "000_8ede33af2f05cf80"
    assert record["published"] == "2020-04-24"
    assert record["title"] == "بعد 67 شهرا.. التحالف الدولى: نفط سوريا أهم من محاربة داعش"
    assert record["schema_version"] == "1.0"
    assert record["text"] == (ROOT / "data" / "raw" / "000_8ede33af2f05cf80.txt").read_text(encoding="utf-8")
    for layer in ("entities", "dates", "actors", "places", "convoys", "crossings", "events"):
        assert isinstance(record[layer], list)
    assert (tmp_path / "errors.jsonl").read_text() == ""
    assert "1 article(s) written" in result.output


def test_bad_items_become_error_records_and_the_rest_is_processed(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "empty.txt").write_bytes(b"")
    (inp / "windows.txt").write_bytes(ARTICLE.encode("cp1256"))
    (inp / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "text": ARTICLE}, ensure_ascii=False) + "\n{broken\n"
        + json.dumps({"id": "j3", "text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(inp, tmp_path / "missing.txt", "--out", out)
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in read_jsonl(out / "articles.jsonl")] == ["j1", "j3", "windows"]
    errors = read_jsonl(out / "errors.jsonl")
    assert [(os.path.basename(e["source"]), e["line"], e["reason"]) for e in errors] == [
        ("empty.txt", None, "empty file"),
        ("feed.jsonl", 2, errors[1]["reason"]),
        ("missing.txt", None, "no such file or directory"),
    ]
    assert errors[1]["reason"].startswith("malformed JSON line")
    assert "3 error(s)" in result.output and "errors.jsonl" in result.output


def test_nothing_processable_exits_non_zero(tmp_path):
    result = run_cli(tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "Nothing could be processed" in result.output
    assert read_jsonl(tmp_path / "out" / "errors.jsonl")[0]["reason"] == "no such file or directory"


def test_rerun_reuses_unchanged_and_reprocesses_changed(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (inp / "b.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(inp, "--out", out).exit_code == 0
    first = (out / "articles.jsonl").read_bytes()
    again = run_cli(inp, "--out", out)
    assert "0 processed, 2 unchanged and reused" in again.output
    assert (out / "articles.jsonl").read_bytes() == first
    (inp / "b.txt").write_text(ARTICLE + " وغادرت.", encoding="utf-8")
    changed = run_cli(inp, "--out", out)
    assert "1 processed, 1 unchanged and reused" in changed.output
    assert read_jsonl(out / "articles.jsonl")[1]["text"].endswith("وغادرت.")
    forced = run_cli(inp, "--out", out, "--no-resume")
    assert "2 processed, 0 unchanged" in forced.output


def test_help_texts():
    assert "run" in runner.invoke(app, ["--help"]).output
    help_run = runner.invoke(app, ["run", "--help"]).output
    assert "--workers" in help_run and "--resume" in help_run


def test_dask_engine_starts_a_local_cluster(tmp_path):
    result = run_cli(ROOT / "data" / "raw", "--out", tmp_path, "--engine", "dask", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert read_jsonl(tmp_path / "articles.jsonl")[0]["doc_id"] == "000_8ede33af2f05cf80"


def test_bad_engine_is_refused(tmp_path):
    result = run_cli(ROOT / "data" / "raw", "--out", tmp_path, "--engine", "spark")
    assert result.exit_code != 0 and "local" in result.output


def test_ctrl_c_leaves_a_resumable_state(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    inp = tmp_path / "in"
    inp.mkdir()
    articles = 4000  # enough that a loaded machine's run cannot end before the interrupt (the NER got faster)
    rows = [json.dumps({"id": f"a{i:04d}", "text": f"{ARTICLE} ({i})\n" * 5}, ensure_ascii=False) for i in range(articles)]
    (inp / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    extract = str(Path(sys.executable).with_name("extract"))
    out = tmp_path / "out"
    process = subprocess.Popen([extract, "run", str(inp), "--out", str(out), "--chunk-size", "8"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and len(list(out.glob(".parts/*/part-*.jsonl"))) < 4:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run the same command again to resume" in stderr
    assert not (out / "articles.jsonl").exists()
    resumed = subprocess.run([extract, "run", str(inp), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "unchanged and reused" in resumed.stderr and " 0 unchanged" not in resumed.stderr
    ids = [r["doc_id"] for r in read_jsonl(out / "articles.jsonl")]
    assert ids == [f"a{i:04d}" for i in range(articles)]
    assert not (out / ".parts").exists()


def test_ner_options(tmp_path):
    plain = run_cli(ROOT / "data" / "raw", "--out", tmp_path / "none", "--ner", "none")
    assert plain.exit_code == 0, plain.output
    (record,) = read_jsonl(tmp_path / "none" / "articles.jsonl")
    assert record["entities"] == [] and record["actors"]
    missing = run_cli(ROOT / "data" / "raw", "--out", tmp_path / "bad", "--ner", "stanza", "--ner-model", tmp_path / "nope")
    assert missing.exit_code == 2 and "stanza NER model directory not found" in missing.output
    unknown = run_cli(ROOT / "data" / "raw", "--out", tmp_path / "bad", "--ner", "spacy")
    assert unknown.exit_code != 0 and "crf" in unknown.output


def test_min_mention_confidence_keeps_the_dates_actors_and_places_at_or_above_it(tmp_path):
    assert run_cli(ROOT / "data" / "raw", "--out", tmp_path / "all").exit_code == 0
    cut = run_cli(ROOT / "data" / "raw", "--out", tmp_path / "cut", "--min-mention-confidence", 0.985)
    assert cut.exit_code == 0, cut.output
    (everything,), (kept,) = read_jsonl(tmp_path / "all" / "articles.jsonl"), read_jsonl(tmp_path / "cut" / "articles.jsonl")
    for layer in ("dates", "actors", "places"):
        assert kept[layer] == [m for m in everything[layer] if m["confidence"] >= 0.985]
    assert all(len(kept[layer]) < len(everything[layer]) for layer in ("dates", "actors", "places"))
    assert kept["convoys"] == everything["convoys"]  # --min-confidence is the convoys' and crossings' cut


@needs_shared
def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    # sets of strings iterate in an order set per process; no output may follow it
    import subprocess
    import sys

    inputs = [ROOT / "data" / "raw", *sorted((GOLD / "articles").glob("*.txt"))[:3]]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        done = subprocess.run([sys.executable, "-m", "extract.cli", "run", *map(str, inputs), "--out", str(out)],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append((out / "articles.jsonl").read_bytes())
    assert outputs[0].count(b"\n") == len(inputs) and outputs[0] == outputs[1]


def test_out_of_range_limits_are_refused(tmp_path):
    for option, value in [("--timeout", "-1"), ("--timeout", "nan"), ("--timeout", "inf"),
                          ("--max-chars", "0"), ("--max-chars", "-5")]:
        result = run_cli(ROOT / "data" / "raw", "--out", tmp_path, option, value)
        assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output, (option, value)
    assert not (tmp_path / "articles.jsonl").exists()


def test_a_named_id_column_must_exist(tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text(f'body,key\n"{ARTICLE}",k1\n', encoding="utf-8")
    wrong = run_cli(feed, "--out", tmp_path / "out", "--text-col", "body", "--id-col", "kee")
    assert wrong.exit_code == 1 and "CSV has no 'kee' column" in wrong.output
    right = run_cli(feed, "--out", tmp_path / "out", "--text-col", "body", "--id-col", "key")
    assert right.exit_code == 0 and read_jsonl(tmp_path / "out" / "articles.jsonl")[0]["doc_id"] == "k1"


def test_an_output_folder_inside_the_input_is_not_read_back(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for _ in range(2):
        result = run_cli(data, "--out", data / "out")
        assert result.exit_code == 0 and "0 error(s)" in result.output, result.output
    assert [r["doc_id"] for r in read_jsonl(data / "out" / "articles.jsonl")] == ["a"]


def test_output_problems_are_one_clear_line(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_cli(ROOT / "data" / "raw", "--out", tmp_path / "file")
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert "Traceback" not in result.output


def test_a_disk_too_small_for_the_input_is_said_before_the_run(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 5_000, 5_000))
    result = run_cli(ROOT / "data" / "raw", "--out", tmp_path)
    assert "Warning: only 0 MB free on the disk of" in result.output and "may need about" in result.output


def test_eval_says_how_many_gold_documents_it_matched_and_fails_on_none(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "a1", "published": "2020-04-24", "dates": [{"text": "أمس", "value": "2020-04-23"}],
                                "actors": [], "places": [], "convoys": [], "crossings": []}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    articles = tmp_path / "in.jsonl"
    articles.write_text(json.dumps({"id": "a1", "text": "دخلت قافلة أمس عبر معبر باب الهوى", "published": "2020-04-24"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["run", str(articles), "--out", str(tmp_path / "out")]).exit_code == 0
    good = runner.invoke(app, ["eval", "--gold", str(gold), "--pred", str(tmp_path / "out" / "articles.jsonl")])
    assert good.exit_code == 0 and "1 of 1 gold document(s)" in good.output
    other = tmp_path / "other.jsonl"
    other.write_text(gold.read_text(encoding="utf-8").replace('"a1"', '"zz"'), encoding="utf-8")
    none = runner.invoke(app, ["eval", "--gold", str(other), "--pred", str(tmp_path / "out" / "articles.jsonl")])
    assert none.exit_code == 1 and "0 of 1 gold document(s)" in none.output


def test_version():
    from extract import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"extract {__version__}"


def test_a_user_lexicon_folder_reaches_the_workers(tmp_path):
    from extract.rules.lexicon import default_directory

    folder = tmp_path / "lexicons"
    folder.mkdir()
    shipped = default_directory().joinpath("actors.tsv").read_text(encoding="utf-8")
    old = "قوات سوريا الديمقراطية|قوات سورية الديمقراطية|"
    assert old in shipped
    (folder / "actors.tsv").write_text(shipped.replace(old, "قوات سوريا الديمقراطية|قوات سوريا الديموقراطية|"
                                                             "قوات سورية الديمقراطية|", 1), encoding="utf-8")
    header = next(line for line in shipped.splitlines() if line.startswith("id\t"))
    (folder / "actors_local.tsv").write_text(
        f"# a user's additions\n{header}\nliwa_shuhada_al_quryatayn\tلواء شهداء القريتين\tLiwa Shuhada al-Quryatayn"
        "\tarmed_group\tSY\t\tلواء شهداء القريتين\t\tcurated: test\n", encoding="utf-8")
    texts = ["دخلت قوات سوريا الديموقراطية إلى البلدة.", "هاجم لواء شهداء القريتين الحاجز.",
             "انسحبت قوات سوريا الديموقراطية ولواء شهداء القريتين من القرية."]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n"
                              for i, t in enumerate(texts)), encoding="utf-8")
    found = {}
    for name, extra in (("shipped", []), ("user", ["--lexicons", folder])):
        result = run_cli(source, "--out", tmp_path / name, "--workers", 2, "--chunk-size", 1, "--ner", "none", *extra)
        assert result.exit_code == 0, result.output
        found[name] = [[(a["text"], a["canonical"]) for a in r["actors"]] for r in read_jsonl(tmp_path / name / "articles.jsonl")]
    assert found["user"] == [[("قوات سوريا الديموقراطية", "sdf")], [("لواء شهداء القريتين", "liwa_shuhada_al_quryatayn")],
                             [("قوات سوريا الديموقراطية", "sdf"), ("لواء شهداء القريتين", "liwa_shuhada_al_quryatayn")]]
    assert all(canonical != "liwa_shuhada_al_quryatayn" and canonical != "sdf"
               for actors in found["shipped"] for _, canonical in actors)
