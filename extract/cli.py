"""The ``extract`` command line (typer)."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    help="Offline Arabic information extraction: dates, actors, places, convoys, crossings and "
         "convoy events from news articles, one JSONL record per article.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
REPORT_WORKERS = min(os.cpu_count() or 1, 4)  # rendering the entity views is the report's work


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"extract {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Offline Arabic information extraction for news archives."""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds; give a finite number (0: no limit)")
    return value


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .jsonl, .jsonl.gz, .csv, .html (folders are read recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for articles.jsonl and errors.jsonl.")] = Path("data/out"),
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Parallel worker processes.")] = 1,
    resume: Annotated[bool, typer.Option("--resume/--no-resume", help="Reuse records already in --out for unchanged articles.")] = True,
    text: Annotated[bool, typer.Option("--text/--no-text", help="Include the article text (that all offsets index) in each record.")] = True,
    text_col: Annotated[str, typer.Option(help="Text field of JSONL/CSV rows.")] = "text",
    id_col: Annotated[str | None, typer.Option(help="Id field of JSONL/CSV rows (default: 'id' where there is one, else FILE:LINE); a named field must be there.")] = None,
    date_col: Annotated[str, typer.Option(help="Publication-date field of JSONL/CSV rows.")] = "published",
    timeout: Annotated[float, typer.Option(min=0, callback=_finite, help="Seconds one article may take before it becomes an error record (0: no limit).")] = 60.0,
    max_chars: Annotated[int, typer.Option(min=1, help="Articles longer than this become an error record.")] = 1_000_000,
    chunk_size: Annotated[int, typer.Option(min=1, help="Articles per work unit and per part file.")] = 32,
    engine: Annotated[str, typer.Option(help="'local' (processes on this machine) or 'dask'.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); none starts a local cluster.")] = None,
    ner: Annotated[str, typer.Option(help="NER backend: crf (the shipped model), neural, stanza, camel, or none (about 1.5× as fast).")] = "crf",
    ner_model: Annotated[Path | None, typer.Option(help="Local model directory for the NER backend (default: the shipped CRF).")] = None,
    min_confidence: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Keep convoys and crossings whose confidence (probability of being right) is at least this (default: the model's threshold, chosen on dev).")] = None,
    min_mention_confidence: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Keep dates, actors and places whose confidence (probability of being right) is at least this (default: keep all; a cut trades right unknown names for precision, see docs/record.md).")] = None,
    lexicons: Annotated[Path | None, typer.Option(exists=True, file_okay=False, help="Folder of gazetteer lexicons layered over the shipped ones: a file there (actors.tsv, places_curated.tsv, crossings.tsv, place_qualifiers.tsv, …) replaces the shipped one of that name; actors_*.tsv, places_*.tsv, crossings_*.tsv add entries.")] = None,
) -> None:
    """Extract from articles in PATHS and write OUT/articles.jsonl and OUT/errors.jsonl."""
    from .errors import OutputError
    from .io.readers import ReadOptions, input_bytes, read_inputs
    from .io.writers import space_shortfall
    from .ner import BACKENDS, NERModelError, load_tagger
    from .pipeline import PipelineConfig
    from .runner import RunOptions
    from .runner import run as run_batch

    if engine not in ("local", "dask"):
        raise typer.BadParameter("use 'local' or 'dask'", param_hint="--engine")
    if ner not in (*BACKENDS, "none"):
        raise typer.BadParameter(f"use one of {', '.join(BACKENDS)} or none", param_hint="--ner")
    config = PipelineConfig(ner=None if ner == "none" else ner, ner_model=str(ner_model) if ner_model else None,
                            lexicons=str(lexicons.resolve()) if lexicons else None, min_confidence=min_confidence,
                            min_mention_confidence=min_mention_confidence)
    if config.lexicons:
        _check_lexicons(config.lexicons)
    if config.ner:
        try:
            load_tagger(config.ner, config.ner_model)  # a wrong model path fails here, once, not per article
        except NERModelError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
    read_options = ReadOptions(text_field=text_col, id_field=id_col or "id", id_required=id_col is not None,
                               date_field=date_col, max_chars=max_chars)
    options = RunOptions(workers=workers, chunk_size=chunk_size, resume=resume, include_text=text,
                         timeout=timeout, engine=engine, scheduler=scheduler)
    shortfall = space_shortfall(out, input_bytes(paths, out))
    if shortfall:
        err.print(f"[yellow]Warning:[/] {shortfall}.")
    items = read_inputs(paths, read_options, exclude=out)
    with _progress(paths, out) as on_progress:
        try:
            summary = run_batch(items, out, config, options, on_progress=on_progress)
        except OutputError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print(f"[yellow]Interrupted.[/] Finished chunks are kept in {out}/.parts; "
                      "run the same command again to resume.")
            raise typer.Exit(130) from None
    _report(summary)
    if summary.processed + summary.reused == 0:
        raise typer.Exit(1)


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="Output folder of `extract run` (holds articles.jsonl).")] = Path("data/out"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or parquet.")] = "csv",
    to: Annotated[Path | None, typer.Option(help="Folder for the tables (default: OUT).")] = None,
    excel: Annotated[bool, typer.Option("--excel", help="Write CSV as UTF-8 with a byte-order mark (for Excel).")] = False,
) -> None:
    """Write the articles, mentions and events tables of OUT as CSV or Parquet."""
    from .export import FORMATS, read_records, to_frames, write_frames

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    _require_articles(out)
    frames = to_frames(read_records(out))
    for path in write_frames(frames, to or out, fmt, excel=excel):
        err.print(f"wrote {path}")


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold JSONL (the format of ../shared/data/gold/*.jsonl).")],
    pred: Annotated[Path, typer.Option(help="Predicted records, e.g. data/out/articles.jsonl.")] = Path("data/out/articles.jsonl"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Precision, recall and F1 per field (dates, actors, places, convoys, crossings, events), with value accuracy."""
    from .evaluate import format_table, read_jsonl, score_records, scores_json

    for path in (gold, pred):
        if not path.is_file():
            raise typer.BadParameter(f"{path} is not a file", param_hint="--gold/--pred")
    gold_records, pred_records = list(read_jsonl(gold)), list(read_jsonl(pred))
    predicted = {str(r.get("doc_id")) for r in pred_records}
    matched = sum(str(g.get("doc_id")) in predicted for g in gold_records)
    err.print(f"{matched} of {len(gold_records)} gold document(s) have a predicted record (matched by doc_id)")
    if not matched:
        err.print(f"[red]no gold doc_id is in {pred}: check that both files describe the same articles[/]")
        raise typer.Exit(1)
    scores = score_records(gold_records, pred_records)
    typer.echo(scores_json(scores) if as_json else format_table(scores))


@app.command()
def plot(
    out: Annotated[Path, typer.Argument(help="Output folder of `extract run` (holds articles.jsonl).")] = Path("data/out"),
    kind: Annotated[str, typer.Option(help="What to draw: convoys.")] = "convoys",
    to: Annotated[Path, typer.Option(help="Image file to write (.png, .svg, .pdf).")] = Path("convoys.png"),
    colour: Annotated[str, typer.Option(help="Colour events by crossing or actor.")] = "crossing",
) -> None:
    """Draw a timeline of convoy events (x: date, y: size, colour: crossing or actor)."""
    from .export import read_records, to_frames
    from .plot import COLOUR_BY, convoy_timeline

    if kind != "convoys":
        raise typer.BadParameter("only 'convoys' can be drawn", param_hint="--kind")
    if colour not in COLOUR_BY:
        raise typer.BadParameter(f"use one of {', '.join(COLOUR_BY)}", param_hint="--colour")
    _require_articles(out)
    events = to_frames(read_records(out)).events
    err.print(f"wrote {convoy_timeline(events, to, colour_by=colour)} ({len(events)} event(s))")


@app.command()
def incidents(
    out: Annotated[Path, typer.Argument(help="Output folder of `extract run` (holds articles.jsonl).")] = Path("data/out"),
    to: Annotated[Path | None, typer.Option(help="File to write: .jsonl (one incident a line), .csv or .parquet (default: OUT/incidents.jsonl).")] = None,
) -> None:
    """Group the convoy events of OUT's articles into incidents: one per real-world movement, with every report of it."""
    from .export import read_records
    from .incidents import INCIDENT_FORMATS, iter_incidents, write_incidents

    target = to or out / "incidents.jsonl"
    if target.suffix not in INCIDENT_FORMATS:
        raise typer.BadParameter(f"use a file ending in {', '.join(INCIDENT_FORMATS)}", param_hint="--to")
    _require_articles(out)
    count = write_incidents(iter_incidents(read_records(out)), target)
    err.print(f"wrote {target} ({count} incident(s))")


@app.command()
def show(
    out: Annotated[Path, typer.Argument(help="Output folder of `extract run` (holds articles.jsonl).")] = Path("data/out"),
    doc_id: Annotated[str, typer.Option("--id", help="doc_id of the article to show.")] = ...,  # type: ignore[assignment]  # typer: required
    to: Annotated[Path, typer.Option(help="HTML file to write.")] = Path("article.html"),
    event: Annotated[int | None, typer.Option(help="Highlight the evidence of this event (index in events).")] = None,
) -> None:
    """Write the right-to-left entity view of one article as a self-contained HTML page."""
    from .export import read_records
    from .view import render

    _require_articles(out)
    record = next((r for r in read_records(out) if r.get("doc_id") == doc_id), None)
    if record is None:
        err.print(f"[red]No article with doc_id {doc_id!r}[/] in {out / 'articles.jsonl'}.")
        raise typer.Exit(1)
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_text(render(record, standalone=True, highlight=event), encoding="utf-8")
    err.print(f"wrote {to}")


@app.command()
def report(
    out: Annotated[Path, typer.Argument(help="Output folder of `extract run` (holds articles.jsonl).")] = Path("data/out"),
    to: Annotated[Path, typer.Option(help="Folder for index.html and the articles' entity views.")] = Path("report"),
    title: Annotated[str, typer.Option(help="Title of the report.")] = "extract run report",
    workers: Annotated[int, typer.Option("--workers", "-w", min=1,
                                         help="Processes that parse and render the articles.")] = REPORT_WORKERS,
) -> None:
    """Write a self-contained HTML report of a run: summary, timeline, counts, map, events table."""
    from .report import write_report

    _require_articles(out)
    with _count_progress(out / "articles.jsonl") as on_progress:
        index = write_report(out, to, title=title, on_progress=on_progress, workers=workers)
    err.print(f"wrote {index}")


def _check_lexicons(folder: str) -> None:
    """Read a user's lexicon folder once, before any worker does: unreadable → exit 2, problems → a warning."""
    from .rules.lexicon import LexiconError, check, load_lexicons

    try:
        problems = [p for p in check(load_lexicons(folder)) if p.severity == "error"]
    except LexiconError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    if problems:
        err.print(f"[yellow]Warning:[/] {len(problems)} error(s) in the lexicons with {folder}, e.g. {problems[0]}; "
                  f"see `extract lexicon check --dir {folder}`.")


def _require_articles(out: Path) -> None:
    if not (out / "articles.jsonl").is_file():
        err.print(f"[red]No {out / 'articles.jsonl'}[/]: run `extract run PATH --out {out}` first.")
        raise typer.Exit(1)


def _report(summary) -> None:
    done = summary.processed + summary.reused
    rate = summary.processed / summary.seconds if summary.seconds else 0.0
    err.print(
        f"{done} article(s) written to {summary.out_dir / 'articles.jsonl'} "
        f"({summary.processed} processed, {summary.reused} unchanged and reused) "
        f"in {summary.seconds:.1f} s ({rate:.1f} articles/s); {summary.errors} error(s)."
    )
    if summary.removed:
        err.print(f"{summary.removed} earlier record(s) removed from articles.jsonl: their articles now fail "
                  "(see errors.jsonl).")
    if summary.errors:
        for line in summary.first_errors:
            err.print(f"  [red]error[/] {line}")
        if summary.errors > len(summary.first_errors):
            err.print(f"  … {summary.errors - len(summary.first_errors)} more")
        err.print(f"Error records (file, line, reason): {summary.out_dir / 'errors.jsonl'}")
    if done == 0:
        err.print("[red]Nothing could be processed.[/] Check the paths and the errors above.")


class _progress:
    """A live progress bar (articles/s, ETA) on a terminal; silent when stderr is a pipe or a CI log."""

    def __init__(self, paths: list[Path], out: Path):
        self._paths = paths
        self._out = out
        self._bar: Any = None  # a rich Progress while running (rich is imported on first use)

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        import time

        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        from .io.readers import estimate_count

        self._bar = Progress(SpinnerColumn(), BarColumn(), TextColumn("{task.completed}/{task.total} articles · "
                                                                      "{task.fields[errors]} errors · "
                                                                      "{task.fields[rate]:.1f} articles/s"),
                             TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True)
        self._bar.start()
        task = self._bar.add_task("run", total=estimate_count(self._paths, self._out), errors=0, rate=0.0)
        started = time.perf_counter()

        def update(done: int, errors: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            self._bar.update(task, completed=done + errors, errors=errors, rate=rate)

        return update

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False


class _count_progress(_progress):
    """A progress bar over the records of a JSONL file on a terminal; silent in pipes and CI logs."""

    def __init__(self, path: Path):
        super().__init__([path], path.parent)

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with open(self._paths[0], "rb") as stream:
            total = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
        self._bar = Progress(BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True)
        self._bar.start()
        task = self._bar.add_task("report", total=total)
        return lambda done: self._bar.update(task, completed=done)


from .ner.cli import ner_app  # noqa: E402

app.add_typer(ner_app, name="ner")

from .lexicons.cli import lexicon_app  # noqa: E402

app.add_typer(lexicon_app, name="lexicon")


if __name__ == "__main__":
    app()
