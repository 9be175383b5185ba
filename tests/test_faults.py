"""Fault injection: real processes killed at random points of a run, of its merge and of its workers,
concurrent runs on one output folder, a file-size limit hit mid-run, poison items of every kind and
generated garbage. Each test checks that every good article is in ``articles.jsonl`` exactly once
and every bad item in ``errors.jsonl``.

Every wait is bounded; the NER model is left out (``--ner none``) to keep the suite to a few minutes.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extract.cli import app
from extract.io.readers import Article, BadItem, read_inputs
from extract.pipeline import PipelineConfig
from extract.runner import RunOptions, run
from tests.test_runner import Killer, add_stage

EXTRACT = str(Path(sys.executable).with_name("extract"))
LIMIT = 240  # seconds any one process may take
SENTENCES = [
    "دخلت قافلة تضم 75 شاحنة عبر معبر الوليد إلى ريف الحسكة.",
    "أدخل الجيش التركي رتلاً عسكرياً مؤلفاً من نحو 30 آلية عبر معبر كفرلوسين.",
    "عبرت 18 شاحنة من معبر باب الهوى متجهة إلى إعزاز.",
]


def feed(path: Path, n: int, repeat: int = 3) -> list[str]:
    """A JSONL archive of ``n`` articles (and two bad lines); returns the good ids."""
    ids = [f"a{i:04d}" for i in range(n)]
    rows = [json.dumps({"id": doc_id, "text": " ".join(SENTENCES[(i + k) % 3] for k in range(repeat)) + f" ({i})",
                        "published": "2020-04-24"}, ensure_ascii=False) for i, doc_id in enumerate(ids)]
    rows.insert(n // 3, "{broken")
    rows.insert(2 * n // 3, json.dumps({"id": "no-text"}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ids


def extract_run(inp: Path, out: Path, *options: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([EXTRACT, "run", str(inp), "--out", str(out), "--ner", "none", *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    """Wait for a run (bounded) and return its exit code and stderr; a run that hangs is killed."""
    try:
        _, stderr = process.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
        process.kill()
        raise
    return process.returncode, stderr


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in path.read_text(encoding="utf-8").split("\n") if line]


def assert_complete(out: Path, good: list[str], clean: Path) -> None:
    """Every good id exactly once, in input order, and the same bytes as the clean run's output."""
    assert ids_in(out / "articles.jsonl") == good
    for name in ("articles.jsonl", "errors.jsonl"):
        assert (out / name).read_bytes() == (clean / name).read_bytes()
    assert not (out / ".parts").exists()
    assert sorted(p.name for p in out.iterdir()) == ["articles.jsonl", "errors.jsonl"]


def earlier_output(inp: Path, out: Path, lines: int) -> bytes:
    """Run over the first lines of ``inp`` into ``out``; the articles.jsonl it writes."""
    short = out.with_name("short.jsonl")
    short.write_text("\n".join(inp.read_text(encoding="utf-8").splitlines()[:lines]) + "\n", encoding="utf-8")
    assert finish(extract_run(short, out))[0] == 0
    return (out / "articles.jsonl").read_bytes()


def wait_for(condition, what: str, seconds: float = LIMIT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def workers_of(process: subprocess.Popen) -> list[psutil.Process]:
    """The worker processes of a run (forked: the same command line as their parent)."""
    try:
        parent = psutil.Process(process.pid)
        return [c for c in parent.children() if c.cmdline() == parent.cmdline()]
    except psutil.NoSuchProcess:
        return []


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An input archive and the output of one clean, uninterrupted run over it."""
    root = tmp_path_factory.mktemp("archive")
    good = feed(root / "feed.jsonl", 300, repeat=10)
    code, stderr = finish(extract_run(root / "feed.jsonl", root / "clean", "--chunk-size", "4"))
    assert code == 0, stderr
    return root / "feed.jsonl", good, root / "clean"


def test_sigkill_at_random_points_then_resume_gives_the_clean_output(archive, tmp_path):
    inp, good, clean = archive
    out = tmp_path / "out"
    rnd = random.Random(18)
    killed_mid_run = 0
    for _ in range(4):
        process = extract_run(inp, out, "--chunk-size", "4", "--workers", str(rnd.choice([1, 2])))
        wait_for(lambda process=process: (out / ".parts").exists() or process.poll() is not None, "the run to start")
        time.sleep(rnd.uniform(0.0, 1.0))
        killed_mid_run += process.poll() is None
        process.kill()
        process.communicate(timeout=LIMIT)
        if (out / "articles.jsonl").exists():  # the kill came after the merge: the output is whole
            assert ids_in(out / "articles.jsonl") == good
    assert killed_mid_run
    code, stderr = finish(extract_run(inp, out, "--chunk-size", "4"))
    assert code == 0, stderr
    assert_complete(out, good, clean)


KILL_IN_MERGE = """
import os, signal, sys
from extract.io import writers
from extract.cli import app
real = writers.atomic_write_lines

def dying(path, lines):
    def cut():
        for i, line in enumerate(lines):
            if i == int(sys.argv[1]):
                os.kill(os.getpid(), signal.SIGKILL)
            yield line
    return real(path, cut() if path.name == "articles.jsonl" else lines)

writers.atomic_write_lines = dying
app(sys.argv[2:])
"""


def test_sigkill_during_the_merge_keeps_the_old_output_and_resumes(archive, tmp_path):
    inp, good, clean = archive
    out = tmp_path / "out"
    before = earlier_output(inp, out, 40)
    for cut in (0, 150, 299):
        killed = subprocess.run([sys.executable, "-c", KILL_IN_MERGE, str(cut), "run", str(inp), "--out", str(out),
                                 "--ner", "none", "--chunk-size", "4"], capture_output=True, text=True, timeout=LIMIT)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert (out / "articles.jsonl").read_bytes() == before
    code, stderr = finish(extract_run(inp, out, "--chunk-size", "4"))
    assert code == 0, stderr
    assert "300 unchanged and reused" in stderr  # the killed runs' parts were picked up
    assert_complete(out, good, clean)


def test_concurrent_runs_both_complete_or_the_later_one_refuses(archive, tmp_path):
    inp, good, clean = archive
    out = tmp_path / "out"
    first = extract_run(inp, out, "--chunk-size", "2")
    wait_for(lambda: len(list(out.glob(".parts/*/part-*.errors.jsonl"))) >= 10 or first.poll() is not None,
             "the first run to be under way")
    second = extract_run(inp, out, "--chunk-size", "4", "--workers", "2")
    results = [finish(first), finish(second)]
    assert results[0][0] == 0, results[0][1]
    for code, stderr in results[1:]:
        assert code == 0 or (code == 2 and "another `extract run` is writing to" in stderr), stderr
    assert_complete(out, good, clean)


def test_a_killed_worker_is_replaced_and_nothing_is_lost(archive, tmp_path):
    inp, good, clean = archive
    out = tmp_path / "out"
    process = extract_run(inp, out, "--chunk-size", "4", "--workers", "2")
    wait_for(lambda: len(workers_of(process)) == 2 or process.poll() is not None, "two workers")
    wait_for(lambda: len(list(out.glob(".parts/*/part-*.errors.jsonl"))) >= 2 or process.poll() is not None,
             "the first parts")
    assert process.poll() is None, "the run ended before a worker could be killed"
    workers_of(process)[0].kill()
    code, stderr = finish(process)
    assert code == 0, stderr
    assert_complete(out, good, clean)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_main_process(archive, tmp_path, sig):
    inp, good, clean = archive
    process = extract_run(inp, tmp_path / "out", "--chunk-size", "2", "--workers", "2")
    wait_for(lambda: len(workers_of(process)) == 2, "two workers")
    workers = workers_of(process)
    process.send_signal(sig)
    process.communicate(timeout=LIMIT)
    _, alive = psutil.wait_procs(workers, timeout=30)
    for orphan in alive:
        orphan.kill()
    assert not alive


def test_a_file_size_limit_mid_run_is_a_clear_error_and_the_output_survives(archive, tmp_path):
    inp, good, clean = archive
    out = tmp_path / "out"
    before = earlier_output(inp, out, 10)

    def small_disk():  # writes past a few KB more fail with EFBIG, as they would with ENOSPC on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 16_000, resource.RLIM_INFINITY))

    code, stderr = finish(extract_run(inp, out, "--chunk-size", "4", preexec_fn=small_disk))
    assert code == 2 and "File too large" in stderr and "earlier output is unchanged" in stderr, stderr
    assert "Traceback" not in stderr
    assert (out / "articles.jsonl").read_bytes() == before
    code, stderr = finish(extract_run(inp, out, "--chunk-size", "4"))
    assert code == 0, stderr
    assert_complete(out, good, clean)


def poison_folder(root: Path) -> tuple[list[str], list[str]]:
    """Good and poison items of every kind the readers and workers meet; (good ids, bad ids)."""
    text = SENTENCES[0]
    (root / "good.txt").write_text(text, encoding="utf-8")
    (root / "stray.txt").write_bytes(text.encode("utf-8")[:9] + b"\xff" + text.encode("utf-8")[9:])
    (root / "titled.txt").write_text(text, encoding="utf-8")
    (root / "titled.meta.json").write_text('{"title": 5, "published": "2020-04-24"}', encoding="utf-8")
    (root / "deep.txt").write_text(text, encoding="utf-8")
    (root / "deep.meta.json").write_text("[" * 50_000, encoding="utf-8")
    (root / os.fsdecode(b"caf\xe9.txt")).write_text(text, encoding="utf-8")
    rows = [json.dumps({"id": "j-good", "text": text}, ensure_ascii=False),
            '{"id": "j-deep", "text": "x", "n": ' + "[" * 50_000 + "]" * 50_000 + "}",
            '{"id": "j-surrogate-\\ud800", "text": %s}' % json.dumps(text),
            json.dumps({"id": "j-killer", "text": "مات العامل " + text}, ensure_ascii=False),
            json.dumps({"id": "j-after", "text": SENTENCES[1]}, ensure_ascii=False)]
    (root / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "wide.jsonl").write_bytes((json.dumps({"id": "u16", "text": text}, ensure_ascii=False) + "\n").encode("utf-16"))
    packed = gzip.compress((json.dumps({"id": "gz", "text": text}, ensure_ascii=False) + "\n").encode() * 3000)
    (root / "z.jsonl.gz").write_bytes(packed[:10] + b"\xff" * 64 + packed[74:])  # zlib.error at once
    good = ["caf\\udce9", "j-good", "j-surrogate-\\ud800", "j-after", "good", "stray", "titled", "u16"]
    bad = ["deep", "feed:2", "j-killer", None]  # None: the corrupt gzip, a file-level error
    return good, bad


def test_poison_items_of_every_kind_fail_alone(tmp_path, monkeypatch):
    add_stage(monkeypatch, Killer())
    root = tmp_path / "in"
    root.mkdir()
    good, bad = poison_folder(root)
    out = tmp_path / "out"
    outputs = []
    for _ in range(2):  # the same again: every re-run gets past the poison the same way
        result = CliRunner().invoke(app, ["run", str(root), "--out", str(out), "--ner", "none", "--workers", "2",
                                          "--chunk-size", "2"])
        assert result.exit_code == 0, result.output
        assert sorted(ids_in(out / "articles.jsonl")) == sorted(good)
        errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").split("\n") if line]
        assert [e["doc_id"] for e in errors] == bad
        assert errors[-1]["source"].endswith("z.jsonl.gz") and errors[-1]["reason"].startswith("cannot read file")
        assert errors[2]["reason"].startswith("worker process died while processing this article")
        outputs.append([(out / name).read_bytes() for name in ("articles.jsonl", "errors.jsonl")])
    assert outputs[0] == outputs[1]


def garbage_line(draw_bytes: bytes) -> bytes:
    return draw_bytes.replace(b"\n", b" ").replace(b"\x00", b" ").strip() or b"?"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.tuples(st.just("good"), st.sampled_from(SENTENCES)),
    st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=80)),
    st.tuples(st.just("text"), st.text(min_size=1, max_size=80)),
    st.tuples(st.just("deep"), st.integers(1_000, 20_000)),
), min_size=1, max_size=25), csv_garbage=st.text(max_size=300), html_garbage=st.text(max_size=300))
def test_generated_garbage_never_stops_a_run(tmp_path_factory, lines, csv_garbage, html_garbage):
    root = tmp_path_factory.mktemp("garbage")
    good, raw = [], []
    for i, (kind, value) in enumerate(lines):
        if kind == "good":
            good.append(f"g{i}")
            raw.append(json.dumps({"id": f"g{i}", "text": value}, ensure_ascii=False).encode("utf-8"))
        elif kind == "deep":
            raw.append(b"[" * value)
        else:
            data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
            raw.append(b"#" + garbage_line(data))  # '#' keeps it from being a JSON object with a text
    (root / "feed.jsonl").write_bytes(b"\n".join(raw) + b"\n")
    (root / "table.csv").write_text("text,id\n" + csv_garbage, encoding="utf-8", errors="surrogatepass")
    (root / "page.html").write_text(html_garbage, encoding="utf-8", errors="surrogatepass")
    items = list(read_inputs([root]))
    articles = [i for i in items if isinstance(i, Article)]
    out = root / "out"
    summary = run(items, out, PipelineConfig(ner=None), RunOptions(chunk_size=3))
    written = ids_in(out / "articles.jsonl")
    assert [w for w in written if w in good] == good
    assert sorted(written) == sorted({a.doc_id for a in articles})
    assert summary.errors == len(ids_in(out / "errors.jsonl")) == len(items) - len(written)
    assert sum(isinstance(i, BadItem) for i in items if getattr(i, "source", "").endswith("feed.jsonl")) == \
        len(raw) - len(good)
