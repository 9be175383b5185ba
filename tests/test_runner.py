"""Batch runs: deterministic order with workers, resuming after an interruption, guards."""

from __future__ import annotations

import errno
import json
import os
import signal
import time
from pathlib import Path

import pytest

from extract.errors import OutputError
from extract.io.readers import Article, BadItem
from extract.pipeline import PipelineConfig
from extract.runner import RunOptions, run

TEXTS = [
    "دخلت قافلة تضم 75 شاحنة عبر معبر الوليد إلى ريف الحسكة.",
    "أدخل الجيش التركي رتلاً عسكرياً مؤلفاً من نحو 30 آلية عبر معبر كفرلوسين.",
    "عبرت 18 شاحنة من معبر باب الهوى متجهة إلى إعزاز.",
]


def archive(n: int):
    for i in range(n):
        yield Article(doc_id=f"doc-{i:03d}", text=TEXTS[i % 3] + f" ({i})", source="mem.jsonl", line=i + 1)
        if i % 7 == 3:
            yield BadItem("mem.jsonl", 1000 + i, "malformed JSON line: test")


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_two_workers_give_byte_identical_output(tmp_path):
    one = run(archive(40), tmp_path / "one", options=RunOptions(workers=1, chunk_size=4))
    two = run(archive(40), tmp_path / "two", options=RunOptions(workers=2, chunk_size=3))
    assert one.processed == two.processed == 40
    assert one.errors == two.errors == 6
    assert (tmp_path / "one" / "articles.jsonl").read_bytes() == (tmp_path / "two" / "articles.jsonl").read_bytes()
    assert (tmp_path / "one" / "errors.jsonl").read_bytes() == (tmp_path / "two" / "errors.jsonl").read_bytes()
    ids = [json.loads(line)["doc_id"] for line in lines(tmp_path / "one" / "articles.jsonl")]
    assert ids == [f"doc-{i:03d}" for i in range(40)]
    assert not (tmp_path / "one" / ".parts").exists()


def interrupted(n: int, after: int):
    for i, item in enumerate(archive(n)):
        if i == after:
            raise KeyboardInterrupt
        yield item


def test_interrupted_run_resumes_to_the_same_output(tmp_path):
    clean = tmp_path / "clean"
    run(archive(30), clean, options=RunOptions(chunk_size=4))
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run(interrupted(30, after=20), out, options=RunOptions(chunk_size=4))
    assert not (out / "articles.jsonl").exists()
    assert list((out / ".parts").glob("*/part-*.jsonl"))
    resumed = run(archive(30), out, options=RunOptions(chunk_size=4))
    assert resumed.reused == 18 and resumed.processed == 30 - resumed.reused
    assert (out / "articles.jsonl").read_bytes() == (clean / "articles.jsonl").read_bytes()
    assert not (out / ".parts").exists()


def test_records_not_in_the_new_input_are_kept(tmp_path):
    run(archive(6), tmp_path, options=RunOptions(chunk_size=2))
    run(archive(3), tmp_path, options=RunOptions(chunk_size=2))
    ids = [json.loads(line)["doc_id"] for line in lines(tmp_path / "articles.jsonl")]
    assert ids == ["doc-000", "doc-001", "doc-002", "doc-003", "doc-004", "doc-005"]


class Sleepy:
    name = "sleepy"

    def __call__(self, doc):
        if "نام" in doc.text:
            time.sleep(5)
        if "انهار" in doc.text:
            raise RuntimeError("component broke")
        return doc


def add_stage(monkeypatch, stage) -> None:
    """Make every pipeline the runner builds (here and in forked workers) end with ``stage``."""
    from extract import runner

    def with_stage(config):
        nlp = runner.Pipeline.from_config(config)
        nlp.add(stage)
        return nlp

    monkeypatch.setattr(runner, "_pipeline", with_stage)


def test_timeout_and_component_failure_become_error_records(tmp_path, monkeypatch):
    add_stage(monkeypatch, Sleepy())
    items = [Article("ok", "نص عادي", "x"), Article("slow", "نام طويلا", "x"), Article("boom", "انهار", "x"),
             Article("ok2", "نص آخر", "x")]
    summary = run(items, tmp_path, options=RunOptions(timeout=0.5))
    assert summary.processed == 2
    errors = [json.loads(line) for line in lines(tmp_path / "errors.jsonl")]
    assert [(e["doc_id"], e["reason"]) for e in errors] == [
        ("slow", "timeout: processing took longer than 0.5 s"),
        ("boom", "pipeline failed: RuntimeError: component broke"),
    ]


def test_duplicate_ids_are_reported(tmp_path):
    items = [Article("a", TEXTS[0], "f.jsonl", 1), Article("a", TEXTS[1], "f.jsonl", 2)]
    summary = run(items, tmp_path)
    assert summary.processed == 1
    (error,) = [json.loads(line) for line in lines(tmp_path / "errors.jsonl")]
    assert error["line"] == 2 and "duplicate doc_id 'a' (first seen at f.jsonl:1)" in error["reason"]


def test_hostile_ids_cannot_escape_the_output_folder(tmp_path):
    out = tmp_path / "out"
    run([Article("../../etc/passwd", TEXTS[0], "x"), Article("/tmp/abs", TEXTS[1], "x")], out)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["out/articles.jsonl", "out/errors.jsonl"]
    ids = [json.loads(line)["doc_id"] for line in lines(out / "articles.jsonl")]
    assert ids == ["../../etc/passwd", "/tmp/abs"]


def test_config_reaches_workers(tmp_path):
    summary = run(archive(4), tmp_path, PipelineConfig(disable=("events",)), RunOptions(workers=2, chunk_size=1))
    assert summary.processed == 4
    assert all(not json.loads(line)["events"] for line in (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines())


def test_dask_cluster_gives_the_same_output(tmp_path):
    from dask.distributed import Client, LocalCluster

    run(archive(20), tmp_path / "local", options=RunOptions(chunk_size=3))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        summary = run(archive(20), tmp_path / "dask", options=RunOptions(engine="dask", chunk_size=3), client=client)
    assert summary.processed == 20
    for name in ("articles.jsonl", "errors.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def records(path):
    return {r["doc_id"]: r for r in map(json.loads, lines(path / "articles.jsonl"))}


def test_an_id_that_turned_bad_loses_its_old_record(tmp_path):
    run([Article("a", TEXTS[0], "f.jsonl", 1), Article("b", TEXTS[1], "f.jsonl", 2)], tmp_path)
    summary = run([Article("a", TEXTS[0], "f.jsonl", 1), BadItem("f.jsonl", 2, "missing or empty 'text' field", "b")],
                  tmp_path)
    assert list(records(tmp_path)) == ["a"]
    assert [json.loads(line)["doc_id"] for line in lines(tmp_path / "errors.jsonl")] == ["b"]
    assert summary.removed == 1 and summary.reused == 1


def test_changed_metadata_is_not_reused(tmp_path):
    text = "دخلت أمس قافلة تضم 75 شاحنة عبر معبر الوليد."
    run([Article("a", text, "f.jsonl", 1, published="2020-04-24")], tmp_path)
    assert [e["date"] for e in records(tmp_path)["a"]["events"]] == ["2020-04-23"]
    same = run([Article("a", text, "f.jsonl", 1, published="2020-04-24")], tmp_path)
    corrected = run([Article("a", text, "f.jsonl", 1, published="2021-01-10")], tmp_path)
    assert same.reused == 1 and corrected.reused == 0 and corrected.processed == 1
    record = records(tmp_path)["a"]
    assert record["published"] == "2021-01-10" and [e["date"] for e in record["events"]] == ["2021-01-09"]


def test_read_warnings_reach_the_record_and_the_reuse_key(tmp_path):
    text = TEXTS[0].replace("قافلة", "قا\ufffdفلة")
    warned = Article("w", text, "w.txt", warnings=("1 invalid UTF-8 byte sequence(s) replaced with U+FFFD",))
    run([warned], tmp_path)
    assert records(tmp_path)["w"]["warnings"] == list(warned.warnings)
    assert run([Article("w", text, "w.txt")], tmp_path).reused == 0
    assert "warnings" not in records(tmp_path)["w"]


def test_lone_surrogates_in_an_id_give_an_escaped_error_record(tmp_path):
    summary = run([Article("bad\ud800", TEXTS[0], "f\udcff.jsonl", 1), Article("ok", TEXTS[1], "f.jsonl", 2)],
                  tmp_path)
    assert summary.processed == 1 and list(records(tmp_path)) == ["ok"]
    (error,) = map(json.loads, lines(tmp_path / "errors.jsonl"))
    assert (error["doc_id"], error["source"]) == ("bad\\ud800", "f\\udcff.jsonl")
    assert "surrogates not allowed" in error["reason"]


class Killer:
    """A stage that dies on one article, as a worker killed for its memory would."""

    name = "killer"

    def __call__(self, doc):
        if "مات" in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return doc


def test_a_dying_worker_is_replaced_and_only_its_article_fails(tmp_path, monkeypatch):
    add_stage(monkeypatch, Killer())
    items = [Article(f"ok-{i}", TEXTS[i % 3], "x") for i in range(10)]
    items.insert(4, Article("poison", "مات العامل", "x"))
    summary = run(items, tmp_path, PipelineConfig(ner=None), RunOptions(workers=2, chunk_size=2))
    assert summary.processed == 10 and summary.errors == 1
    assert list(records(tmp_path)) == [f"ok-{i}" for i in range(10)]
    (error,) = map(json.loads, lines(tmp_path / "errors.jsonl"))
    assert error["doc_id"] == "poison" and error["reason"].startswith("worker process died while processing this article")


class SwallowedAlarm:
    """Sleeps where an exception is swallowed (a __del__), then goes on working in plain code."""

    name = "swallowed"

    def __call__(self, doc):
        if "نام" in doc.text:
            Finalizer()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
        return doc


class Finalizer:
    def __del__(self):
        time.sleep(0.8)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_timeout_raised_inside_a_finalizer_is_not_lost(tmp_path, monkeypatch):
    add_stage(monkeypatch, SwallowedAlarm())
    summary = run([Article("slow", "نام طويلا", "x"), Article("ok", TEXTS[0], "x")], tmp_path,
                  PipelineConfig(ner=None), RunOptions(timeout=0.5))
    assert summary.processed == 1
    (error,) = map(json.loads, lines(tmp_path / "errors.jsonl"))
    assert (error["doc_id"], error["reason"]) == ("slow", "timeout: processing took longer than 0.5 s")


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path):
    from extract.io.writers import lock_folder

    run([Article("a", TEXTS[0], "x")], tmp_path)
    before = (tmp_path / "articles.jsonl").read_bytes()
    fd = lock_folder(tmp_path)
    try:
        with pytest.raises(OutputError, match="another `extract run` is writing to"):
            run([Article("b", TEXTS[1], "x")], tmp_path)
    finally:
        os.close(fd)
    assert (tmp_path / "articles.jsonl").read_bytes() == before
    run([Article("b", TEXTS[1], "x")], tmp_path)
    assert list(records(tmp_path)) == ["b", "a"]


def test_a_full_disk_stops_the_run_with_a_clear_error_and_keeps_the_output(tmp_path, monkeypatch):
    from extract.io import writers

    run(archive(6), tmp_path, options=RunOptions(chunk_size=2))
    before = (tmp_path / "articles.jsonl").read_bytes()
    real_write = writers.atomic_write_lines
    calls = []

    def full_disk(path, lines):
        calls.append(path)
        if len(calls) > 3:
            real_write(path.with_name(path.name + ".partial"), list(lines)[:1])  # what a full disk leaves
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, lines)

    monkeypatch.setattr(writers, "atomic_write_lines", full_disk)
    with pytest.raises(OutputError, match="No space left on device.*earlier output is unchanged"):
        run(archive(9), tmp_path, options=RunOptions(chunk_size=2))
    assert (tmp_path / "articles.jsonl").read_bytes() == before
    monkeypatch.setattr(writers, "atomic_write_lines", real_write)
    resumed = run(archive(9), tmp_path, options=RunOptions(chunk_size=2))
    assert resumed.processed == 3 and list(records(tmp_path)) == [f"doc-{i:03d}" for i in range(9)]


def test_an_unwritable_output_folder_is_refused_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        run(archive(2), tmp_path / "file")
    real_write_bytes = Path.write_bytes

    def read_only(self, data):  # root may write anywhere: refuse as a read-only folder would
        if self.name == ".probe":
            raise PermissionError(13, "Permission denied", str(self))
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    with pytest.raises(OutputError, match="cannot write to the output folder .*: Permission denied"):
        run(archive(2), tmp_path / "ro")


def test_interrupted_re_runs_do_not_copy_reused_records_again(tmp_path):
    run(archive(30), tmp_path, options=RunOptions(chunk_size=4))
    clean = (tmp_path / "articles.jsonl").read_bytes()
    for _ in range(3):
        with pytest.raises(KeyboardInterrupt):
            run(interrupted(30, after=30), tmp_path, options=RunOptions(chunk_size=4))
    parts = sum(p.stat().st_size for p in (tmp_path / ".parts").rglob("*.jsonl"))
    assert 0 < parts < len(clean) / 10  # references to the reused records, not copies of them
    assert run(archive(30), tmp_path, options=RunOptions(chunk_size=4)).reused == 30
    assert (tmp_path / "articles.jsonl").read_bytes() == clean
    assert not (tmp_path / ".parts").exists()


def test_the_time_limit_holds_in_dask_worker_threads(tmp_path, monkeypatch):
    from dask.distributed import Client, LocalCluster

    add_stage(monkeypatch, Sleepy())
    items = [Article("slow", "نام طويلا", "x"), Article("ok", TEXTS[0], "x")]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        summary = run(items, tmp_path, PipelineConfig(ner=None), RunOptions(engine="dask", timeout=0.5), client=client)
    assert summary.processed == 1
    (error,) = map(json.loads, lines(tmp_path / "errors.jsonl"))
    assert (error["doc_id"], error["reason"]) == ("slow", "timeout: processing took longer than 0.5 s")


def test_workers_that_cannot_build_their_pipeline_fail_the_articles_not_the_run(tmp_path, monkeypatch):
    from extract import runner

    def broken(config):
        raise OSError("model file missing")

    monkeypatch.setattr(runner, "_pipeline", broken)
    summary = run(archive(3), tmp_path, options=RunOptions(workers=2, chunk_size=2))
    assert summary.processed == 0 and summary.errors == 3
    reasons = {json.loads(line)["reason"] for line in lines(tmp_path / "errors.jsonl")}
    assert reasons == {"pipeline failed: OSError: model file missing"}
