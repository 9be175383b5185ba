"""``extract ner train`` and ``extract ner eval``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

ner_app = typer.Typer(help="Train and evaluate the NER models.", no_args_is_help=True)


@ner_app.command("train")
def train_command(
    train: Annotated[list[Path], typer.Option("--train", exists=True, dir_okay=False,
                                              help="Training files: CoNLL (token<TAB>BIO), or Wojood *.nested.txt.")],
    out: Annotated[Path, typer.Option("--out", help="Model directory to write (e.g. models/ner-NAME).")],
    dev: Annotated[Optional[Path], typer.Option("--dev", exists=True, dir_okay=False,
                                                help="CoNLL file scored after training.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the word clustering (CRF training is deterministic).")] = 13,
    c1: Annotated[float, typer.Option(help="L1 penalty (higher: fewer features, smaller model).")] = 0.03,
    c2: Annotated[float, typer.Option(help="L2 penalty.")] = 0.01,
    max_iterations: Annotated[int, typer.Option(help="L-BFGS iterations.")] = 120,
    augment: Annotated[bool, typer.Option("--augment/--no-augment",
                                          help="Add copies of sentences with ORG/LOC names swapped for lexicon names.")] = True,
) -> None:
    """Train a CRF NER model directory from TRAIN files."""
    from .train import train as train_model

    config = train_model(train, dev, out, seed=seed, c1=c1, c2=c2,
                         max_iterations=max_iterations, augment=augment)
    typer.echo(f"wrote {out}: {config['features']} features, {config['clusters']} clustered words")
    if "dev" in config:
        overall = config["dev"]["overall"]
        typer.echo(f"dev {config['dev']['file']}: P {overall['precision']:.4f}  R {overall['recall']:.4f}  "
                   f"F1 {overall['f1']:.4f}")


@ner_app.command("eval")
def eval_command(
    model: Annotated[str, typer.Argument(help="Model directory ('default': the shipped CRF model).")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CoNLL (or Wojood *.nested.txt) file.")],
    backend: Annotated[str, typer.Option(help="crf, stanza or camel.")] = "crf",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Entity-level exact-span precision, recall and F1 of MODEL on FILE, per type and overall."""
    from . import NER, NERModelError
    from .evaluate import evaluate

    try:
        stage = NER(backend, None if model == "default" else model)
    except NERModelError as error:
        raise typer.BadParameter(str(error), param_hint="MODEL") from None
    report = evaluate(stage, file)
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.table())
