"""Batch runs: deterministic order with workers, resuming after an interruption, guards."""

from __future__ import annotations

import json
import time

import pytest

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


def test_timeout_and_component_failure_become_error_records(tmp_path, monkeypatch):
    from extract import runner

    def slow_pipeline(config):
        nlp = runner.Pipeline.from_config(config)
        nlp.add(Sleepy())
        return nlp

    monkeypatch.setattr(runner, "_pipeline", slow_pipeline)
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
    summary = run(archive(4), tmp_path, PipelineConfig(disable=("tokenize",)), RunOptions(workers=2, chunk_size=1))
    assert summary.processed == 4


def test_dask_cluster_gives_the_same_output(tmp_path):
    from dask.distributed import Client, LocalCluster

    run(archive(20), tmp_path / "local", options=RunOptions(chunk_size=3))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        summary = run(archive(20), tmp_path / "dask", options=RunOptions(engine="dask", chunk_size=3), client=client)
    assert summary.processed == 20
    for name in ("articles.jsonl", "errors.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
